/*
 * libsvm_container.a: the project's stand-in for GraalVM's container library, which a GraalVM
 * distribution ships and Maven Central does not. Written from
 * com.oracle.svm.core.container.ContainerLibrary and Container in the builder's sources jar: the
 * image asks it once whether it runs in a container, then for the memory and CPUs it may use.
 *
 * cgroup v2 only (the unified hierarchy of every current Kubernetes node): the limits are the
 * lowest memory.max and cpu.max on the path from the process's cgroup (/proc/self/cgroup, "0::")
 * up to the root under /sys/fs/cgroup.
 * Does not: read cgroup v1 (on a v1 host the image is "not containerized" and uses the host's
 * memory and CPUs), honour cpu.weight (shares), or read memory.low/high, swap, usage or cache
 * figures: those functions are not reached by this image and fail loudly with their name.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define LIBCONTAINER_VERSION 240100 /* ContainerLibrary.VERSION this stand-in was written against */
#define SUCCESS_IS_NOT_CONTAINERIZED 0
#define SUCCESS_IS_CONTAINERIZED 1
#define ERROR_LIBCONTAINER_TOO_OLD 2
#define ERROR_LIBCONTAINER_TOO_NEW 3

static char cgroup_dir[PATH_MAX + 32]; /* /sys/fs/cgroup/<the process's cgroup>, once initialized */

static void unreachable(const char *function) {
    fprintf(stderr, "secretsync native runtime stand-in: %s was called, which this stand-in does not implement"
            " (native-check/runtime/svm_container.c)\n", function);
    abort();
}

/* Reads the first line of dir/file into line; 0 when there is none. */
static int read_line(const char *dir, const char *file, char *line, size_t size) {
    char path[PATH_MAX + 64];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    char *read = fgets(line, (int) size, f);
    fclose(f);
    if (read == NULL) {
        return 0;
    }
    line[strcspn(line, "\n")] = '\0';
    return 1;
}

/* Drops the last path element of dir; 0 once at /sys/fs/cgroup (or when dir is not below it). */
static int parent(char *dir) {
    char *slash = strrchr(dir, '/');
    if (strncmp(dir, "/sys/fs/cgroup/", strlen("/sys/fs/cgroup/")) != 0 || slash == NULL) {
        return 0;
    }
    *slash = '\0';
    return 1;
}

/* SUCCESS_IS_CONTAINERIZED when the unified cgroup v2 hierarchy holds this process's cgroup, else
 * SUCCESS_IS_NOT_CONTAINERIZED; a version mismatch answers TOO_OLD/TOO_NEW as the image expects. */
int svm_container_initialize(int version) {
    if (version > LIBCONTAINER_VERSION) {
        return ERROR_LIBCONTAINER_TOO_OLD;
    }
    if (version < LIBCONTAINER_VERSION) {
        return ERROR_LIBCONTAINER_TOO_NEW;
    }
    char line[PATH_MAX];
    if (!read_line("/sys/fs/cgroup", "cgroup.controllers", line, sizeof(line))) {
        return SUCCESS_IS_NOT_CONTAINERIZED; /* no cgroup v2 unified hierarchy */
    }
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (f == NULL) {
        return SUCCESS_IS_NOT_CONTAINERIZED;
    }
    int found = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "0::", 3) == 0) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(cgroup_dir, sizeof(cgroup_dir), "/sys/fs/cgroup%s", strcmp(line + 3, "/") == 0 ? "" : line + 3);
            found = 1;
        }
    }
    fclose(f);
    return found ? SUCCESS_IS_CONTAINERIZED : SUCCESS_IS_NOT_CONTAINERIZED;
}

/* The lowest memory.max from the process's cgroup up; -1 when none sets a limit ("max"). */
long long svm_container_memory_limit_in_bytes(void) {
    char dir[PATH_MAX + 32];
    char line[64];
    long long limit = -1;
    if (cgroup_dir[0] == '\0') {
        return -1; /* not containerized (or not initialized): no limit */
    }
    strcpy(dir, cgroup_dir);
    do {
        if (read_line(dir, "memory.max", line, sizeof(line)) && strcmp(line, "max") != 0) {
            long long value = atoll(line);
            if (value > 0 && (limit < 0 || value < limit)) {
                limit = value;
            }
        }
    } while (parent(dir));
    return limit;
}

/* The host's memory, or the cgroup memory limit when that is lower. */
unsigned long svm_container_physical_memory(void) {
    unsigned long long host = (unsigned long long) sysconf(_SC_PHYS_PAGES) * (unsigned long long) sysconf(_SC_PAGESIZE);
    long long limit = svm_container_memory_limit_in_bytes();
    return (unsigned long) (limit > 0 && (unsigned long long) limit < host ? (unsigned long long) limit : host);
}

/* The processors of the affinity mask, or ceil(quota / period) of the lowest cpu.max when lower. */
int svm_container_active_processor_count(void) {
    cpu_set_t set;
    int count = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : (int) sysconf(_SC_NPROCESSORS_ONLN);
    char dir[PATH_MAX + 32];
    char line[64];
    if (cgroup_dir[0] == '\0') {
        return count > 0 ? count : 1; /* not containerized (or not initialized): the affinity mask */
    }
    strcpy(dir, cgroup_dir);
    do {
        long long quota, period;
        if (read_line(dir, "cpu.max", line, sizeof(line)) && sscanf(line, "%lld %lld", &quota, &period) == 2
                && quota > 0 && period > 0) {
            int limit = (int) ((quota + period - 1) / period);
            if (limit < count) {
                count = limit;
            }
        }
    } while (parent(dir));
    return count > 0 ? count : 1;
}

long long svm_container_memory_and_swap_limit_in_bytes(void) {
    unreachable("svm_container_memory_and_swap_limit_in_bytes");
    return -1;
}

long long svm_container_memory_soft_limit_in_bytes(void) {
    unreachable("svm_container_memory_soft_limit_in_bytes");
    return -1;
}

long long svm_container_memory_usage_in_bytes(void) {
    unreachable("svm_container_memory_usage_in_bytes");
    return -1;
}

long long svm_container_memory_max_usage_in_bytes(void) {
    unreachable("svm_container_memory_max_usage_in_bytes");
    return -1;
}

long long svm_container_rss_usage_in_bytes(void) {
    unreachable("svm_container_rss_usage_in_bytes");
    return -1;
}

long long svm_container_cache_usage_in_bytes(void) {
    unreachable("svm_container_cache_usage_in_bytes");
    return -1;
}
