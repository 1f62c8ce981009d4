/*
 * liblibchelper.a: the project's stand-in for GraalVM's C helper library ("libchelper"), which a
 * GraalVM distribution ships as a static library and Maven Central does not. Written from the
 * Java declarations that call into it in the builder's sources jar (svm-<version>-sources.jar):
 * com.oracle.svm.core.posix.headers.CSunMiscSignal, amd64.AMD64LibCHelper and
 * CPUFeatureAccessImpl, c.locale.LocaleCHelper and LocaleSupport, LibCHelper,
 * posix.linux.LinuxLibCHelper, posix.thread.PosixVMThreads and posix.headers.Fcntl.
 *
 * Linux on amd64 only. Struct layouts and constants come from the headers the native check writes
 * from the same declarations (amd64cpufeatures.h, svm_locale.h), which the builder also compiled
 * its layout queries against, so both sides agree whatever the placeholder values are.
 *
 * Every function declared by those classes for Linux/amd64 is implemented; what each does not do
 * is written above it. (The stand-ins that the image should never reach, which fail loudly with
 * their name, are in libjvm_so.c.)
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "amd64cpufeatures.h"
#include "svm_locale.h"

/* ---------------------------------------------------------------------------------------------
 * The Java signal handler mechanism (CSunMiscSignal): a C signal handler counts each signal and
 * posts a semaphore; the image's signal dispatcher thread waits on the semaphore and asks which
 * signal is pending. One owner per process (open() claims it, close() gives it back).
 * Does: counters for signals 1..NSIG-1, async-signal-safe handler (atomic add, sem_post).
 * Does not: queue signal information (siginfo), only counts.
 * --------------------------------------------------------------------------------------------- */
static volatile int signal_owner;        /* 1 while an isolate owns the mechanism */
static volatile int signal_counts[NSIG]; /* pending deliveries per signal number */
static sem_t signal_semaphore;

/* Claims the mechanism: 0 on success, 1 if already claimed, -1 (errno set) if the semaphore fails. */
int cSunMiscSignal_open(void) {
    if (!__sync_bool_compare_and_swap(&signal_owner, 0, 1)) {
        return 1;
    }
    memset((void *) signal_counts, 0, sizeof(signal_counts));
    if (sem_init(&signal_semaphore, 0, 0) != 0) {
        signal_owner = 0;
        return -1;
    }
    return 0;
}

/* Gives the mechanism back: 0 on success, non-zero if it was not open or the semaphore fails. */
int cSunMiscSignal_close(void) {
    if (!signal_owner) {
        return 1;
    }
    int result = sem_destroy(&signal_semaphore);
    __sync_synchronize();
    signal_owner = 0;
    return result;
}

/* Waits for a post. Returns 0, or -1 when interrupted (the caller loops: spurious wake-ups are allowed). */
int cSunMiscSignal_awaitSemaphore(void) {
    return sem_wait(&signal_semaphore);
}

/* Wakes the dispatcher thread (also used to stop it). 0 on success. */
int cSunMiscSignal_signalSemaphore(void) {
    return sem_post(&signal_semaphore);
}

/* Whether the signal number has a counter here. */
int cSunMiscSignal_signalRangeCheck(int signal) {
    return signal > 0 && signal < NSIG;
}

/* The first signal with a pending delivery, consuming that delivery; -1 when none is pending. */
int cSunMiscSignal_checkPendingSignal(void) {
    for (int signal = 1; signal < NSIG; signal++) {
        int count = signal_counts[signal];
        while (count > 0) {
            if (__sync_bool_compare_and_swap(&signal_counts[signal], count, count - 1)) {
                return signal;
            }
            count = signal_counts[signal];
        }
    }
    return -1;
}

/* The C handler installed for Java-handled signals: counts the signal and wakes the dispatcher. */
static void count_signal(int signal) {
    if (cSunMiscSignal_signalRangeCheck(signal)) {
        int saved = errno;
        __sync_fetch_and_add(&signal_counts[signal], 1);
        sem_post(&signal_semaphore);
        errno = saved;
    }
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) {
    return (void *) count_signal;
}

/* ---------------------------------------------------------------------------------------------
 * CPU features (AMD64LibCHelper, CPUFeatureAccessImpl): cpuid and xgetbv into the CPUFeatures
 * struct, one byte per feature, 1 when present. The build-time mask is the struct of required
 * features bitwise negated (a required feature's byte is ~1, padding 0xff), rounded up to 64 bits:
 * the machine has every required feature when (host | mask) is all ones.
 * Does: the features of the struct that cpuid reports on Intel and AMD, AVX and AVX-512 only when
 * the OS saves their registers (XCR0).
 * Does not: model-specific quirks (e.g. CPUs where HotSpot turns a feature off for speed), TSC
 * frequency checks (fTSCINV is the invariant-TSC bit, nothing more), AMD's 3DNow! beyond prefetch.
 * --------------------------------------------------------------------------------------------- */
static int bit(unsigned int reg, int n) {
    return (reg >> n) & 1;
}

void determineCPUFeatures(CPUFeatures *f) {
    unsigned int a, b, c, d;
    unsigned int max = __get_cpuid_max(0, 0);
    unsigned int maxExt = __get_cpuid_max(0x80000000, 0);
    unsigned int c1 = 0, d1 = 0, b7 = 0, c7 = 0, d7 = 0, a71 = 0, d71 = 0;
    unsigned long long xcr0 = 0;

    if (max >= 1) {
        __cpuid(1, a, b, c1, d1);
    }
    if (max >= 7) {
        __cpuid_count(7, 0, a, b7, c7, d7);
        if (a >= 1) {
            __cpuid_count(7, 1, a71, b, c, d71);
        }
    }
    if (bit(c1, 27)) { /* OSXSAVE: xgetbv is usable */
        unsigned int lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((unsigned long long) hi << 32) | lo;
    }
    int avxState = (xcr0 & 0x6) == 0x6;                  /* SSE and AVX registers saved */
    int avx512State = avxState && (xcr0 & 0xe0) == 0xe0; /* opmask, ZMM_Hi256, Hi16_ZMM saved */

    f->fCX8 = bit(d1, 8);
    f->fCMOV = bit(d1, 15);
    f->fFXSR = bit(d1, 24);
    f->fHT = bit(d1, 28);
    f->fMMX = bit(d1, 23);
    f->fSSE = bit(d1, 25);
    f->fSSE2 = bit(d1, 26);
    f->fTSC = bit(d1, 4);
    f->fFLUSH = bit(d1, 19);
    f->fSSE3 = bit(c1, 0);
    f->fCLMUL = bit(c1, 1);
    f->fSSSE3 = bit(c1, 9);
    f->fFMA = bit(c1, 12) && avxState;
    f->fSSE4_1 = bit(c1, 19);
    f->fSSE4_2 = bit(c1, 20);
    f->fPOPCNT = bit(c1, 23);
    f->fAES = bit(c1, 25);
    f->fAVX = bit(c1, 28) && avxState;
    f->fF16C = bit(c1, 29) && avxState;
    f->fHV = bit(c1, 31);
    f->fVZEROUPPER = f->fAVX;

    f->fBMI1 = bit(b7, 3);
    f->fAVX2 = bit(b7, 5) && avxState;
    f->fBMI2 = bit(b7, 8);
    f->fERMS = bit(b7, 9);
    f->fRTM = bit(b7, 11);
    f->fAVX512F = bit(b7, 16) && avx512State;
    f->fAVX512DQ = bit(b7, 17) && avx512State;
    f->fADX = bit(b7, 19);
    f->fAVX512_IFMA = bit(b7, 21) && avx512State;
    f->fFLUSHOPT = bit(b7, 23);
    f->fCLWB = bit(b7, 24);
    f->fAVX512PF = bit(b7, 26) && avx512State;
    f->fAVX512ER = bit(b7, 27) && avx512State;
    f->fAVX512CD = bit(b7, 28) && avx512State;
    f->fSHA = bit(b7, 29);
    f->fAVX512BW = bit(b7, 30) && avx512State;
    f->fAVX512VL = bit(b7, 31) && avx512State;
    f->fAVX512_VBMI = bit(c7, 1) && avx512State;
    f->fPKU = bit(c7, 3);
    f->fOSPKE = bit(c7, 4);
    f->fAVX512_VBMI2 = bit(c7, 6) && avx512State;
    f->fCET_SS = bit(c7, 7);
    f->fGFNI = bit(c7, 8);
    f->fAVX512_VAES = bit(c7, 9) && avx512State;
    f->fAVX512_VPCLMULQDQ = bit(c7, 10) && avx512State;
    f->fAVX512_VNNI = bit(c7, 11) && avx512State;
    f->fAVX512_BITALG = bit(c7, 12) && avx512State;
    f->fAVX512_VPOPCNTDQ = bit(c7, 14) && avx512State;
    f->fRDPID = bit(c7, 22);
    f->fFSRM = bit(d7, 4);
    f->fSERIALIZE = bit(d7, 14);
    f->fCET_IBT = bit(d7, 20);
    f->fAVX512_FP16 = bit(d7, 23) && avx512State;
    f->fSHA512 = bit(a71, 0) && avxState;
    f->fAVX_IFMA = bit(a71, 23) && avxState;
    f->fAVX10_1 = bit(d71, 19) && avx512State;
    f->fAVX10_2 = 0; /* needs the AVX10 version leaf; never reported */
    f->fAPX_F = 0;   /* needs the OS to save the extended GPRs; never reported */

    if (maxExt >= 0x80000001) {
        __cpuid(0x80000001, a, b, c, d);
        f->fLZCNT = bit(c, 5);
        f->fSSE4A = bit(c, 6);
        f->fAMD_3DNOW_PREFETCH = bit(c, 8);
        f->fRDTSCP = bit(d, 27);
    }
    if (maxExt >= 0x80000007) {
        __cpuid(0x80000007, a, b, c, d);
        f->fTSCINV_BIT = bit(d, 8);
        f->fTSCINV = f->fTSCINV_BIT;
    }
}

/* 0 when this machine has every feature of the build-time mask, -1 otherwise. */
int checkCPUFeatures(const unsigned char *buildtimeMask) {
    unsigned char host[(sizeof(CPUFeatures) + 7) / 8 * 8];
    memset(host, 0, sizeof(host));
    determineCPUFeatures((CPUFeatures *) host);
    for (size_t i = 0; i < sizeof(host); i++) {
        if ((unsigned char) (host[i] | buildtimeMask[i]) != 0xff) {
            return -1;
        }
    }
    return 0;
}

/* As checkCPUFeatures, but prints the image's message and exits 1 when a feature is missing. */
int checkCPUFeaturesOrExit(const unsigned char *buildtimeMask, const char *errorMessage) {
    if (checkCPUFeatures(buildtimeMask) != 0) {
        fprintf(stderr, "%s\n", errorMessage);
        exit(1);
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * The default locale (LocaleCHelper): svm_initialize_locale sets the process locale from the
 * environment (setlocale(LC_ALL, "")) and parses LC_MESSAGES (display) and LC_CTYPE (format), of
 * the form language[_COUNTRY][.encoding][@variant], into svm_locale_props_t; svm_get_locale
 * returns it. "C", "C.UTF-8", "POSIX" or no locale give en_US, as on the JVM.
 * Does not: map locale aliases (e.g. "iw" to "he", "sr@latin" to a script, "no_NO" to "nb"),
 * read /usr/share/locale/locale.alias, or derive a script from anything but a "@latin"-style
 * variant (left as the variant). The encoding part is dropped.
 * --------------------------------------------------------------------------------------------- */
static svm_locale_props_t locale_props;

/* Parses one locale string into language, country and variant (fresh strings, NULL when absent). */
static int parse_locale(const char *locale, char **language, char **country, char **variant) {
    char *copy = strdup(locale != NULL ? locale : "");
    if (copy == NULL) {
        return 0;
    }
    char *at = strchr(copy, '@');
    if (at != NULL) {
        *at++ = '\0';
    }
    char *dot = strchr(copy, '.');
    if (dot != NULL) {
        *dot = '\0';
    }
    if (copy[0] == '\0' || strcmp(copy, "C") == 0 || strcmp(copy, "POSIX") == 0) {
        free(copy); /* C, C.UTF-8, POSIX: English, as on the JVM */
        copy = strdup("en_US");
        at = NULL;
        if (copy == NULL) {
            return 0;
        }
    }
    char *underscore = strchr(copy, '_');
    if (underscore != NULL) {
        *underscore++ = '\0';
    }
    *language = strdup(copy);
    *country = underscore != NULL && underscore[0] != '\0' ? strdup(underscore) : NULL;
    *variant = at != NULL && at[0] != '\0' ? strdup(at) : NULL;
    int ok = *language != NULL && (underscore == NULL || underscore[0] == '\0' || *country != NULL)
            && (at == NULL || at[0] == '\0' || *variant != NULL);
    free(copy);
    return ok;
}

int svm_initialize_locale(void) {
    setlocale(LC_ALL, "");
    if (!parse_locale(setlocale(LC_MESSAGES, NULL), &locale_props.display_language, &locale_props.display_country,
                &locale_props.display_variant)
            || !parse_locale(setlocale(LC_CTYPE, NULL), &locale_props.format_language, &locale_props.format_country,
                &locale_props.format_variant)) {
        return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
    }
    locale_props.display_script = NULL;
    locale_props.format_script = NULL;
    return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) {
    return &locale_props;
}

/* ---------------------------------------------------------------------------------------------
 * The system time zone (LibCHelper.SVM_FindJavaTZmd), a malloc'ed id the caller frees:
 * TZ (a leading ':' dropped; a path under .../zoneinfo/ reduced to the zone name), else
 * /etc/timezone, else the zone /etc/localtime links to, else "UTC".
 * Does not: compare /etc/localtime's content with every file of /usr/share/zoneinfo when it is a
 * copy rather than a link, or produce "GMT+hh:mm" ids; tzMappings (Windows only) is ignored.
 * --------------------------------------------------------------------------------------------- */
static char *zone_of_path(const char *path) {
    const char *zoneinfo = strstr(path, "zoneinfo/");
    return strdup(zoneinfo != NULL ? zoneinfo + strlen("zoneinfo/") : path);
}

char *SVM_FindJavaTZmd(const char *tzMappings, int length) {
    (void) tzMappings;
    (void) length;
    const char *tz = getenv("TZ");
    if (tz != NULL && tz[0] == ':') {
        tz++;
    }
    if (tz != NULL && tz[0] != '\0') {
        return zone_of_path(tz);
    }
    FILE *file = fopen("/etc/timezone", "r");
    if (file != NULL) {
        char line[256];
        char *read = fgets(line, sizeof(line), file);
        fclose(file);
        if (read != NULL) {
            line[strcspn(line, " \t\r\n")] = '\0';
            if (line[0] != '\0') {
                return strdup(line);
            }
        }
    }
    char target[PATH_MAX];
    ssize_t n = readlink("/etc/localtime", target, sizeof(target) - 1);
    if (n > 0) {
        target[n] = '\0';
        return zone_of_path(target);
    }
    return strdup("UTC");
}

/* ---------------------------------------------------------------------------------------------
 * Small wrappers (LinuxLibCHelper, PosixVMThreads, Fcntl, LibCHelper): a non-variadic entry for
 * variadic libc functions, and gettid.
 * --------------------------------------------------------------------------------------------- */

/* The kernel's id of the calling thread, -1 on error. */
int getThreadId(void) {
    return (int) syscall(SYS_gettid);
}

/* The user CPU time of a thread of this process in nanoseconds, from /proc/self/task/<tid>/stat
 * (field 14, in clock ticks); -1 when it cannot be read. */
long long getThreadUserTimeSlow(int tid) {
    char path[64];
    char stat[1024];
    snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        return -1;
    }
    size_t n = fread(stat, 1, sizeof(stat) - 1, file);
    fclose(file);
    stat[n] = '\0';
    char *fields = strrchr(stat, ')'); /* the command name may hold spaces and parentheses */
    unsigned long long utime;
    if (fields == NULL || sscanf(fields + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu", &utime) != 1) {
        return -1;
    }
    return (long long) (utime * (1000000000ULL / (unsigned long long) sysconf(_SC_CLK_TCK)));
}

/* mremap with all five arguments (the fifth is used with MREMAP_FIXED). */
void *mremapP(void *oldAddress, size_t oldSize, size_t newSize, int flags, void *newAddress) {
    return mremap(oldAddress, oldSize, newSize, flags, newAddress);
}

/* fprintf with one string and one int argument (the image's fatal-error message). */
int fprintfSD(FILE *stream, const char *format, const char *arg0, int arg1) {
    return fprintf(stream, format, arg0, arg1);
}

/* open with its optional mode argument always passed. */
int openSII(const char *pathname, int flags, int mode) {
    return open(pathname, flags, mode);
}

/* openat with its optional mode argument always passed. */
int openatISII(int dirfd, const char *pathname, int flags, int mode) {
    return openat(dirfd, pathname, flags, mode);
}

/* The process environment. */
char **getEnviron(void) {
    extern char **environ;
    return environ;
}
