/* A minimal test harness for the host tests: named test functions, checks that report file and line. */
#ifndef SF_TEST_H
#define SF_TEST_H

#include <stdio.h>
#include <string.h>

static int sf_test_failures;
static int sf_test_checks_failed_in_test;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);            \
            sf_test_checks_failed_in_test++;                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_INT(expected, actual)                                                             \
    do {                                                                                           \
        long long e_ = (long long) (expected), a_ = (long long) (actual);                          \
        if (e_ != a_) {                                                                            \
            fprintf(stderr, "  %s:%d: %s: expected %lld, got %lld\n", __FILE__, __LINE__, #actual, \
                    e_, a_);                                                                       \
            sf_test_checks_failed_in_test++;                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_STR(expected, actual)                                                             \
    do {                                                                                           \
        const char *e_ = (expected), *a_ = (actual);                                               \
        if (strcmp(e_, a_) != 0) {                                                                 \
            fprintf(stderr, "  %s:%d: %s: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__,      \
                    #actual, e_, a_);                                                              \
            sf_test_checks_failed_in_test++;                                                       \
        }                                                                                          \
    } while (0)

typedef void (*sf_test_fn)(void);
typedef struct {
    const char *name;
    sf_test_fn fn;
} sf_test_case;

#define TEST_CASE(fn) {#fn, fn}

/* Runs every case (or only the one named in argv[1]); prints one line per case and a summary line. */
static int sf_test_run(const char *suite, const sf_test_case *cases, size_t count, int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i].name) != 0) {
            continue;
        }
        sf_test_checks_failed_in_test = 0;
        cases[i].fn();
        if (sf_test_checks_failed_in_test == 0) {
            passed++;
            printf("ok   %s.%s\n", suite, cases[i].name);
        } else {
            failed++;
            printf("FAIL %s.%s\n", suite, cases[i].name);
        }
    }
    sf_test_failures += failed;
    printf("%s: %d passed, %d failed\n", suite, passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}

#endif
