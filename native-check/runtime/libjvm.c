/*
 * libjvm.a: the project's stand-in for GraalVM's static "jvm" library, which a GraalVM
 * distribution ships and Maven Central does not. Written from com.oracle.svm.core.jdk.Jvm in the
 * builder's sources jar, which declares the two functions the image calls on Linux. (The JVM_*
 * functions that the JDK's own shared libraries import are in the stand-in libjvm.so,
 * libjvm_so.c.)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>

/* Declared only so that the library is on the link line; does nothing. */
void initialize(void) {
}

/* Processors this process may run on: the CPUs of its affinity mask, else the online CPUs.
 * Does not: apply cgroup CPU quotas (the image asks svm_container for that when containerized). */
int JVM_ActiveProcessorCount(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) {
            return count;
        }
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int) online : 1;
}
