/*
 * killshim: an LD_PRELOAD library that stops a process at a chosen
 * system call, so that the crash tests can kill entpress at a precise
 * point without any hook in the product.
 *
 * It interposes the libc calls through which entpress, libxml2,
 * libarchive and SQLite read and write files (read, pread, write,
 * pwrite, fsync, fdatasync, rename, unlink), finds the path each call
 * is about (the argument, or /proc/self/fd/N for a descriptor), and
 * counts the calls whose kind and path match the environment:
 *
 *	KILLSHIM_CALL	read, write, fsync, rename or unlink (fsync
 *			counts fdatasync too; read and write their p-forms)
 *	KILLSHIM_PATH	an fnmatch(3) pattern for the path (for rename,
 *			either name); default "*"
 *	KILLSHIM_AT	raise the signal on this matching call (1 is the
 *			first), before the call is made; 0 or unset never
 *	KILLSHIM_SIG	KILL (default) or STOP: a stopped process can be
 *			looked at (/proc/PID/limits) and then killed
 *	KILLSHIM_LOG	append "call path" for every matching call to this
 *			file, for a dry run that tells how many there are
 *
 * The signal goes to the process itself with raise(), so nothing runs
 * after it: no atexit handler, no unlink of a temporary file, no SQLite
 * rollback.  That is what a power cut or an OOM kill looks like to the
 * files.  Counting is per process and not thread-safe, which is enough
 * for entpress: the calls on one file never come from two threads at
 * once (pages are written by the emit thread alone; the ledger by the
 * main thread or, during a run, by its writer thread, which take turns
 * under a lock).  The log is written with the real write(), so it does
 * not count itself.
 */
#define _GNU_SOURCE
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc's fortified read(), which has no prototype of its own. */
ssize_t	 __read_chk(int, void *, size_t, size_t);

/* The real functions, found once. */
static ssize_t	(*real_read)(int, void *, size_t);
static ssize_t	(*real_pread)(int, void *, size_t, off_t);
static ssize_t	(*real_pread64)(int, void *, size_t, off_t);
static ssize_t	(*real_write)(int, const void *, size_t);
static ssize_t	(*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t	(*real_pwrite64)(int, const void *, size_t, off_t);
static int	(*real_fsync)(int);
static int	(*real_fdatasync)(int);
static int	(*real_rename)(const char *, const char *);
static int	(*real_unlink)(const char *);

static const char	*want_call;	/* NULL: the shim is off */
static const char	*want_path;
static unsigned long	 want_at;
static int		 want_sig = SIGKILL;
static int		 log_fd = -1;
static unsigned long	 seen;
static int		 ready;

static void
setup(void)
{
	const char	*s;

	if (ready)
		return;
	real_read = dlsym(RTLD_NEXT, "read");
	real_pread = dlsym(RTLD_NEXT, "pread");
	real_pread64 = dlsym(RTLD_NEXT, "pread64");
	real_write = dlsym(RTLD_NEXT, "write");
	real_pwrite = dlsym(RTLD_NEXT, "pwrite");
	real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
	real_fsync = dlsym(RTLD_NEXT, "fsync");
	real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
	real_rename = dlsym(RTLD_NEXT, "rename");
	real_unlink = dlsym(RTLD_NEXT, "unlink");
	want_call = getenv("KILLSHIM_CALL");
	if ((want_path = getenv("KILLSHIM_PATH")) == NULL)
		want_path = "*";
	if ((s = getenv("KILLSHIM_AT")) != NULL)
		want_at = strtoul(s, NULL, 10);
	if ((s = getenv("KILLSHIM_SIG")) != NULL && strcmp(s, "STOP") == 0)
		want_sig = SIGSTOP;
	if ((s = getenv("KILLSHIM_LOG")) != NULL)
		log_fd = open(s, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0600);
	ready = 1;
}

/* The path behind a descriptor, or "" when it has none (a pipe). */
static const char *
fd_path(int fd, char *buf, size_t sz)
{
	char	 link[64];
	ssize_t	 n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, buf, sz - 1)) < 0)
		n = 0;
	buf[n] = '\0';
	return buf;
}

/*
 * One call of kind call on path (and path2 for rename): count it if it
 * matches, log it, and raise the signal on the chosen one.  errno is
 * kept: the caller's call comes next and must see its own.
 */
static void
check(const char *call, const char *path, const char *path2)
{
	char	 line[4200];
	int	 saved = errno, n;

	setup();
	if (want_call == NULL || strcmp(call, want_call) != 0)
		return;
	if (fnmatch(want_path, path, 0) != 0 &&
	    (path2 == NULL || fnmatch(want_path, path2, 0) != 0))
		return;
	seen++;
	if (log_fd != -1) {
		n = snprintf(line, sizeof(line), "%s %s%s%s\n", call, path,
		    path2 != NULL ? " " : "", path2 != NULL ? path2 : "");
		if (n > 0 && real_write != NULL)
			(void)real_write(log_fd, line, (size_t)n <
			    sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	if (want_at != 0 && seen == want_at)
		raise(want_sig);
	errno = saved;
}

static void
check_fd(const char *call, int fd)
{
	char	 buf[4096];

	setup();
	if (want_call == NULL || strcmp(call, want_call) != 0)
		return;
	check(call, fd_path(fd, buf, sizeof(buf)), NULL);
}

ssize_t
read(int fd, void *p, size_t n)
{
	check_fd("read", fd);
	return real_read(fd, p, n);
}

ssize_t
__read_chk(int fd, void *p, size_t n, size_t buflen)
{
	check_fd("read", fd);
	return real_read(fd, p, n);
}

ssize_t
pread(int fd, void *p, size_t n, off_t off)
{
	check_fd("read", fd);
	return real_pread(fd, p, n, off);
}

ssize_t
pread64(int fd, void *p, size_t n, off_t off)
{
	check_fd("read", fd);
	return real_pread64(fd, p, n, off);
}

ssize_t
write(int fd, const void *p, size_t n)
{
	check_fd("write", fd);
	return real_write(fd, p, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	check_fd("write", fd);
	return real_pwrite(fd, p, n, off);
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off_t off)
{
	check_fd("write", fd);
	return real_pwrite64(fd, p, n, off);
}

int
fsync(int fd)
{
	check_fd("fsync", fd);
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	check_fd("fsync", fd);
	return real_fdatasync(fd);
}

int
rename(const char *from, const char *to)
{
	check("rename", from, to);
	return real_rename(from, to);
}

int
unlink(const char *path)
{
	check("unlink", path, NULL);
	return real_unlink(path);
}
