/*
 * libjvm.so: the project's stand-in for the JVM library that the JDK's shared libraries
 * (libjava.so, libnio.so, libnet.so, libzip.so, libextnet.so, libmanagement_ext.so) import their
 * JVM_* and jio_* functions from (version node SUNWprivate_1.1). In the native executable there
 * is no HotSpot: the image implements the Java side itself and calls those libraries only for
 * their Java_* functions, and a call-graph walk from those reaches only the functions defined
 * here. Every other import is defined by the native check at build time (libjvm_unreached.c,
 * written from the libraries' own import tables) as a function that prints its name and aborts,
 * so the loader is satisfied and a call the walk missed fails loudly instead of misbehaving.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* dlsym on a handle the JDK code got from dlopen (libjava's findBuiltinLib / JNI lookups). */
void *JVM_FindLibraryEntry(void *handle, const char *name) {
    return dlsym(handle, name);
}

/* Ends the process with the code, as Runtime.halt: no Java shutdown hooks (C atexit handlers run). */
void JVM_Halt(int code) {
    exit(code);
}

/* vsnprintf, with HotSpot's guarantee that the buffer is terminated; -1 when it was too short. */
int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
    if ((long) count <= 0) {
        return -1;
    }
    int result = vsnprintf(str, count, fmt, args);
    if (result >= 0 && (size_t) result >= count) {
        result = -1;
    }
    return result;
}

/* vfprintf. */
int jio_vfprintf(FILE *f, const char *fmt, va_list args) {
    return vfprintf(f, fmt, args);
}

/* Also exported from here: JVM_ActiveProcessorCount (libjvm.c, compiled into this library too). */
