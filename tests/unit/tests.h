/*
 * tests: the Check suites of entpress, one per module, and the helpers
 * they share.  check_main.c chains every suite into one runner.
 */
#ifndef ENTPRESS_TESTS_H
#define ENTPRESS_TESTS_H

#include <check.h>
#include <stdio.h>

#include "directory.h"

Suite	*aaf_suite(void);
Suite	*collate_suite(void);
Suite	*diag_suite(void);
Suite	*directory_suite(void);
Suite	*select_suite(void);
Suite	*utf8_suite(void);

/* Captured diagnostics of the code under test. */
void		 diagcap_start(void);
const char	*diagcap_text(void);
void		 diagcap_stop(void);

/* Read an AAF document held in a string into d (resolved). */
int		 load_xml(struct directory *, const char *name, const char *xml,
		    int delta);

/* Wrap request bodies in a complete ficAlimMENESR document. */
char		*aaf_doc(const char *decl, const char *requests);
char		*aaf_add(const char *cat, const char *id, const char *attrs);
char		*aaf_attr(const char *name, const char *value);

#endif
