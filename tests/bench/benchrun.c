/*
 * benchrun: run one command and say what it cost.
 *
 * Usage: benchrun COMMAND [ARG...]
 *
 * The benchmark (tests/bench/bench.sh) times every command through this
 * wrapper instead of time(1): the wall clock comes from CLOCK_MONOTONIC
 * with microsecond resolution (time(1) gives hundredths, too coarse for
 * runs of a few tenths of a second), and the peak resident set size,
 * user and system time from wait4(2) for that one child, so that nothing
 * beyond libc is needed on a fresh machine.  The command's own standard
 * streams are left alone; the measures go to standard error as one line
 *
 *	benchrun: WALL USER SYS MAXRSS STATUS
 *
 * in seconds, seconds, seconds, KiB, and the exit status (128 + signal
 * when killed).  benchrun exits with the command's status, 127 when the
 * command cannot be started.
 */

#define _GNU_SOURCE

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
tv_sec(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int
main(int argc, char *argv[])
{
	struct timespec	 t0, t1;
	struct rusage	 ru;
	pid_t		 pid;
	int		 st, code;

	if (argc < 2) {
		fputs("usage: benchrun COMMAND [ARG...]\n", stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "benchrun: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "benchrun: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &st, 0, &ru) == -1)
		if (errno != EINTR) {
			fprintf(stderr, "benchrun: wait4: %s\n",
			    strerror(errno));
			return 127;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	code = WIFEXITED(st) ? WEXITSTATUS(st) :
	    WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 127;
	/* ru_maxrss is in KiB on Linux. */
	fprintf(stderr, "benchrun: %.6f %.6f %.6f %ld %d\n",
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    tv_sec(&ru.ru_utime), tv_sec(&ru.ru_stime), ru.ru_maxrss, code);
	return code;
}
