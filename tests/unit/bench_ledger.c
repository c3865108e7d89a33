/*
 * bench_ledger: how long issuing takes, for the figures issue 4 asks
 * for.  Not a test: the numbers depend on the machine, so it prints
 * them and asserts nothing.
 *
 *	bench_ledger [-n accounts] [-a hashes] [-d dir]
 *
 * Part 1 creates a ledger and, in one run, creates n student accounts
 * (logins with homonyms: 10,000 distinct names) and issues a
 * code to each, the way compile does without LDIF, then commits.  Part 2
 * times one crypto_pwhash_str at INTERACTIVE limits alone, then a batch
 * through cred_hash_many on one thread and on every core; -a 0 skips it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "credentials.h"
#include "diag.h"
#include "directory.h"
#include "ledger.h"
#include "mem.h"

static const char *const firsts[40] = {
	"Jean", "Marie", "Léa", "Lucas", "Emma", "Hugo", "Chloé", "Louis",
	"Inès", "Gabriel", "Jade", "Raphaël", "Louise", "Arthur", "Zoé",
	"Nathan", "Alice", "Noé", "Lina", "Théo", "Manon", "Jules", "Camille",
	"Adam", "Sarah", "Paul", "Anna", "Tom", "Rose", "Éthan", "Mila",
	"Sacha", "Lou", "Maël", "Ambre", "Nolan", "Juliette", "Timéo",
	"Agathe", "Noah"
};

static const char *const lasts[25] = {
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard",
	"Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre",
	"Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
	"Morel", "Girard", "André", "Lefebvre", "Mercier"
};

static const char *const seconds[10] = {
	"", "Blanc", "Noir", "Rouge", "Vert", "Bleu", "Gris", "Brun",
	"Clair", "Sombre"
};

static double
clock_of(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_of(CLOCK_MONOTONIC);
}

/* CPU time of the process: what the code costs on a busy machine. */
static double
cpu(void)
{
	return clock_of(CLOCK_PROCESS_CPUTIME_ID);
}

static int
bench_ledger(const char *dir, long n)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct dir_person	 p;
	struct cred_rng		 r;
	char			 path[512], key[560], id[32], last[64];
	char			 code[CRED_CODE_LEN + 1];
	double			 t0, t1, t2, c0, c2;
	long			 i;

	snprintf(path, sizeof(path), "%s/bench-%ld.db", dir, (long)getpid());
	snprintf(key, sizeof(key), "%s.key", path);
	if (ledger_open(&l, path, LEDGER_CREATE) != 0)
		return -1;
	t0 = now();
	c0 = cpu();
	if (ledger_run_begin(l, "2026-09-01", "bench_ledger") != 0)
		return -1;
	cred_rng_random(&r);
	memset(&p, 0, sizeof(p));
	p.cat = CAT_ELEVE;
	p.profile = PROFILE_STUDENT;
	p.origin = ORIGIN_AAF;
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%ld", 4000000 + i);
		/* 10,000 distinct names: ten homonyms each at 100,000. */
		snprintf(last, sizeof(last), "%s%s%s", lasts[i / 40 % 25],
		    i / 1000 % 10 == 0 ? "" : "-", seconds[i / 1000 % 10]);
		p.id = id;
		p.first_name = firsts[i % 40];
		p.last_name = last;
		if (ledger_account(l, &p, &a) < 0 ||
		    ledger_issue(l, &a, &r, code, "0699990Z",
		    "2026-10-31", NULL) != 0)
			return -1;
		cred_wipe(code, sizeof(code));
	}
	t1 = now();
	cred_rng_wipe(&r);
	if (ledger_run_commit(l) != 0)
		return -1;
	t2 = now();
	c2 = cpu();
	ledger_close(l);
	printf("ledger: %ld accounts + codes in one run: %.3f s wall "
	    "(issue %.3f s, commit %.3f s), %.3f s CPU, %.0f accounts/s\n",
	    n, t2 - t0, t1 - t0, t2 - t1, c2 - c0, n / (t2 - t0));
	unlink(path);
	unlink(key);
	return 0;
}

static int
bench_argon2(int nhash)
{
	char		**codes, (*h)[CRED_HASH_LEN];
	double		 t0, t1, single, one, all;
	int		 i, ncpu = cred_ncpu();

	codes = xcalloc((size_t)nhash, sizeof(*codes));
	for (i = 0; i < nhash; i++) {
		codes[i] = xmalloc(CRED_CODE_LEN + 1);
		cred_code(NULL, codes[i]);
	}
	h = xcalloc((size_t)nhash, sizeof(*h));

	t0 = now();
	if (cred_hash(h[0], codes[0], NULL) != 0)
		return -1;
	single = now() - t0;

	t0 = now();
	if (cred_hash_many(h, codes, (size_t)nhash, NULL, 1) != 0)
		return -1;
	t1 = now();
	one = nhash / (t1 - t0);
	t0 = now();
	if (cred_hash_many(h, codes, (size_t)nhash, NULL, 0) != 0)
		return -1;
	t1 = now();
	all = nhash / (t1 - t0);

	printf("argon2id INTERACTIVE: one crypto_pwhash_str alone %.1f ms "
	    "(%.1f/s)\n", single * 1e3, 1 / single);
	printf("argon2id INTERACTIVE: %d hashes, 1 thread: %.1f hashes/s; "
	    "%d threads (all cores): %.1f hashes/s (x%.2f, %.1f/s per core)\n",
	    nhash, one, ncpu, all, all / one, all / ncpu);
	for (i = 0; i < nhash; i++) {
		cred_wipe(codes[i], CRED_CODE_LEN + 1);
		free(codes[i]);
	}
	free(codes);
	free(h);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char	*dir = "/tmp";
	long		 n = 100000;
	int		 c, nhash = 32;

	diag_init("bench_ledger");
	while ((c = getopt(argc, argv, "a:d:n:")) != -1)
		switch (c) {
		case 'a':
			nhash = atoi(optarg);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'n':
			n = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench_ledger [-n accounts] "
			    "[-a hashes] [-d dir]\n");
			return 2;
		}
	if (cred_init() != 0)
		return 3;
	if (n > 0 && bench_ledger(dir, n) != 0)
		return 3;
	if (nhash > 0 && bench_argon2(nhash) != 0)
		return 3;
	return 0;
}
