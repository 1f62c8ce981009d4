/*
 * libjava.a: the JNI_OnLoad_<library> functions the image calls for the JDK libraries it treats as
 * built in (com.oracle.svm.core.jni.JNILibraryInitializer: java, nio, net, zip, extnet). A static
 * JDK library carries them; here the JDK's shared libraries are linked instead, so each forwards
 * to that shared library's own JNI_OnLoad, if it has one, and answers JNI_VERSION_1_8: the image
 * refuses a built-in library that answers less (the JDK's answer JNI_VERSION_1_2).
 * The other four archives (libnio.a, libnet.a, libzip.a, libextnet.a) are empty: the builder only
 * insists that they exist; their code comes from the shared libraries.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls the JNI_OnLoad defined in the shared library `soname` itself (not one a dependency of it
 * defines); aborts with the library's name if that library is not loaded. */
static jint forward(const char *soname, JavaVM *vm, void *reserved) {
    void *library = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);
    if (library == NULL) {
        fprintf(stderr, "secretsync native runtime stand-in: JNI_OnLoad for %s: the library is not loaded (%s)"
                " (native-check/runtime/jni_onload.c)\n", soname, dlerror());
        abort();
    }
    jint (*onLoad)(JavaVM *, void *) = (jint (*)(JavaVM *, void *)) dlsym(library, "JNI_OnLoad");
    Dl_info info;
    if (onLoad != NULL && dladdr((void *) onLoad, &info) != 0 && info.dli_fname != NULL) {
        const char *base = strrchr(info.dli_fname, '/');
        if (strcmp(base != NULL ? base + 1 : info.dli_fname, soname) == 0 && onLoad(vm, reserved) < 0) {
            return JNI_ERR;
        }
    }
    dlclose(library);
    return JNI_VERSION_1_8;
}

JNIEXPORT jint JNICALL JNI_OnLoad_java(JavaVM *vm, void *reserved) {
    return forward("libjava.so", vm, reserved);
}

JNIEXPORT jint JNICALL JNI_OnLoad_nio(JavaVM *vm, void *reserved) {
    return forward("libnio.so", vm, reserved);
}

JNIEXPORT jint JNICALL JNI_OnLoad_net(JavaVM *vm, void *reserved) {
    return forward("libnet.so", vm, reserved);
}

JNIEXPORT jint JNICALL JNI_OnLoad_zip(JavaVM *vm, void *reserved) {
    return forward("libzip.so", vm, reserved);
}

JNIEXPORT jint JNICALL JNI_OnLoad_extnet(JavaVM *vm, void *reserved) {
    return forward("libextnet.so", vm, reserved);
}
