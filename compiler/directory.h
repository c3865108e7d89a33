/*
 * directory: the school directory model built from AAF records.
 *
 * The reader (aaf) hands over one record at a time: an addition, a
 * modification (replace) or a deletion of one object of one category,
 * with the attributes it carries already mapped to enum dir_field.  The
 * directory keeps, per category and id, the latest value of every field
 * it uses, so a Delta's modifyRequest is simply a second application.
 *
 * Nothing is linked while reading: students may reference relatives that
 * come later, and a Delta may move a student after the fact.  Once every
 * input was read, directory_resolve() splits the $-separated values,
 * decides each person's profile, and links schools, classes, students,
 * relatives, teachers and head teachers.  After that the model is
 * read-only for the later stages.
 *
 * All strings are UTF-8 and live in the directory's arena.
 */
#ifndef ENTPRESS_DIRECTORY_H
#define ENTPRESS_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

enum dir_cat {
	CAT_NONE = 0,
	CAT_ELEVE,		/* students */
	CAT_PERSRELELEVE,	/* relatives */
	CAT_PERSEDUCNAT,	/* teachers and staff */
	CAT_ETAB,		/* schools (EtabEducNat) */
	CAT_MATIERE,		/* subjects */
	CAT_MEF,		/* levels and tracks */
	CAT_MANUAL,		/* accounts from a manual CSV */
	CAT__MAX
};

enum dir_profile {
	PROFILE_NONE = 0,
	PROFILE_STUDENT,
	PROFILE_TEACHER,
	PROFILE_STAFF,
	PROFILE_PARENT,
	PROFILE_GUEST,
	PROFILE__MAX
};

enum dir_origin {
	ORIGIN_AAF = 0,
	ORIGIN_MANUAL
};

/* The fields entpress uses; the AAF attribute names map onto these. */
enum dir_field {
	FIELD_NONE = 0,
	FIELD_JOINTURE,		/* ENT*Jointure: must equal <id> */
	FIELD_LAST_NAME,	/* sn, ENTPersonNom */
	FIELD_FIRST_NAME,	/* givenName, ENTPersonPrenom */
	FIELD_TITLE,		/* personalTitle, ENTPersonCivilite */
	FIELD_MAIL,		/* mail, ENTPersonMail */
	FIELD_SCHOOL,		/* ENTPersonStructRattach */
	FIELD_ADDRESS,		/* ENTPersonAdresse, lines joined by $ */
	FIELD_POSTCODE,		/* ENTPersonCodePostal */
	FIELD_CITY,		/* ENTPersonVille */
	FIELD_COUNTRY,		/* ENTPersonPays */
	FIELD_CLASSES,		/* ENTEleveClasses, ENTPersonClasses: struct$class */
	FIELD_LEVEL,		/* ENTEleveNivFormation, ENTEleveNiveau, ENTNivFormation */
	FIELD_MEF_LABEL,	/* ENTEleveLibelleMEF */
	FIELD_RELATIVES,	/* ENTElevePersRelEleve: id$lien$fin$legal$contact$paie */
	FIELD_AUTHORITY,	/* ENTEleveAutoriteParentale (legacy, 1D): ids */
	FIELD_REL_STUDENTS,	/* ENTPersRelEleveEleve, ENTAuxPersRelEleveEleve: ids */
	FIELD_FUNCTIONS,	/* ENTPersonFonctions: struct$code$label$disc$label */
	FIELD_PRESENCE,		/* PersEducNatPresenceDevantEleves: O/N */
	FIELD_TEACHER_CAT,	/* ENTPersonCategorieEnseignant: O/N */
	FIELD_TEACH_CLASSES,	/* ENTAuxEnsClasses: struct$class */
	FIELD_TEACH_CLASSMAT,	/* ENTAuxEnsClassesMatieres: struct$class$subject */
	FIELD_HEAD_TEACHER,	/* ENTAuxEnsClassesPrincipal: struct$class */
	FIELD_UAI,		/* ENTStructureUAI, ENTEtablissementUAI */
	FIELD_SCHOOL_NAME,	/* ENTStructureNomCourant */
	FIELD_SCHOOL_TYPE,	/* ENTStructureTypeStruct */
	FIELD_STREET,		/* street, ENTStructureAdresse */
	FIELD_POSTALCODE,	/* postalCode, ENTStructureCodePostal */
	FIELD_LOCALITY,		/* l, ENTStructureVille */
	FIELD_PHONE,		/* telephoneNumber (schools) */
	FIELD_SCHOOL_MAIL,	/* ENTStructureMailSI */
	FIELD_SCHOOL_CLASSES,	/* ENTStructureClasses: code$label$MEF... */
	FIELD_LABEL,		/* ENTLibelleMatiere, ENTLibelleMef */
	FIELD__MAX
};

/* A source position: which input file, which line. */
struct dir_src {
	const char	*file;
	uint32_t	 line;
};

/* A list of strings (multi-valued attribute). */
struct strv {
	const char	**v;
	uint32_t	  n;
};

struct dir_person;
struct dir_class;
struct dir_school;

/* A student's link to one relative (ENTElevePersRelEleve). */
struct dir_link {
	struct dir_person	*rel;
	uint8_t			 lien;		/* relationship code, 0 unknown */
	uint8_t			 legal;		/* 0 none, 1 guardian, 2 in charge */
	uint8_t			 financial;
	uint8_t			 contact;
};

/* A relative's link back to one student. */
struct dir_child {
	struct dir_person	*student;
	uint8_t			 legal;
};

/*
 * Raw multi-valued AAF fields, kept only until directory_resolve() turns
 * them into links.  They live apart from struct dir_person because most
 * persons (relatives) have none: a large academy has hundreds of
 * thousands of persons, and every byte of the person record counts.
 */
struct dir_raw {
	struct strv		 classes;	/* struct$class */
	struct strv		 relatives;	/* ENTElevePersRelEleve */
	struct strv		 authority;	/* legacy relative ids */
	struct strv		 rel_students;	/* relative -> student ids */
	struct strv		 functions;
	struct strv		 teach_classes;
	struct strv		 teach_classmat;
	struct strv		 head_of;	/* ENTAuxEnsClassesPrincipal */
};

struct dir_person {
	const char		*id;		/* AAF jointure or manual key */
	uint8_t			 cat;		/* enum dir_cat */
	uint8_t			 profile;	/* enum dir_profile, by resolve */
	uint8_t			 origin;	/* enum dir_origin */
	uint8_t			 deleted;	/* by a Delta deleteRequest */
	char			 presence;	/* O/N or 0: PresenceDevantEleves */
	char			 teacher_cat;	/* O/N or 0: CategorieEnseignant */
	struct dir_src		 src;		/* last record that set it */

	const char		*last_name;
	const char		*first_name;
	const char		*title;		/* M., Mme, Mlle or NULL */
	const char		*mail;
	const char		*school_id;	/* ENTPersonStructRattach */
	const char		*address;	/* raw, lines joined by $ */
	const char		*postcode;
	const char		*city;
	const char		*country;
	const char		*level;		/* ENTEleveNivFormation */
	const char		*mef_label;	/* ENTEleveLibelleMEF */
	struct dir_raw		*raw;		/* NULL when no such field */

	/* Resolved links (directory_resolve). */
	struct dir_school	*school;	/* home school, may be NULL */
	const char		*function;	/* staff: first function label */
	struct dir_class	**cls;		/* student: classes; teacher: taught */
	struct dir_class	**pp_of;	/* classes this person heads */
	struct dir_link		*links;		/* student -> relatives */
	struct dir_child	*children;	/* relative -> students */
	struct dir_school	**schools;	/* staff: schools of their functions */
	uint32_t		 ncls;
	uint32_t		 npp_of;
	uint32_t		 nlinks;
	uint32_t		 nchildren;
	uint32_t		 nschools;
};

struct dir_class {
	struct dir_school	*school;
	const char		*code;		/* e.g. 4B */
	uint32_t		 rank;		/* index in directory.classes */
	const char		*label;		/* e.g. 4EME B, or NULL */
	const char		*mef;
	struct dir_person	**students;
	uint32_t		 nstudents;
	struct dir_person	**teachers;
	uint32_t		 nteachers;
	struct dir_person	**pp;		/* head teachers */
	uint32_t		 npp;
	uint32_t		 cap_students, cap_teachers, cap_pp;
};

/* A nomenclature entry: subject or MEF. */
struct dir_nomen {
	const char		*id;
	const char		*label;
	const char		*level;		/* MEF: ENTNivFormation */
};

struct dir_school {
	const char		*id;		/* ENTStructureJointure */
	uint32_t		 rank;		/* index in directory.schools */
	const char		*uai;
	const char		*name;		/* display form, $ turned to spaces */
	const char		*type;
	const char		*street;
	const char		*postcode;
	const char		*city;
	const char		*phone;
	const char		*mail;
	struct strv		 raw_classes;	/* raw ENTStructureClasses */
	unsigned int		 deleted : 1;
	unsigned int		 in_export : 1;	/* 0: only referenced */
	struct dir_src		 src;
	struct dir_class	**classes;	/* natural order after resolve */
	uint32_t		 nclasses;
	uint32_t		 cap_classes;
};

/* Operation of one record. */
enum dir_op {
	OP_ADD,
	OP_MODIFY,
	OP_DELETE
};

/* One attribute of a record as the reader delivers it. */
struct dir_attr {
	enum dir_field	 field;
	const char	**values;	/* UTF-8, trimmed; may be empty strings */
	uint32_t	  nvalues;
	uint32_t	  line;
};

struct dir_record {
	enum dir_op		 op;
	enum dir_cat		 cat;
	int			 delta;		/* from a Delta file */
	const char		*id;
	const struct dir_attr	*attrs;
	size_t			 nattrs;
	struct dir_src		 src;
};

/* How relatives count as parents (--relatives). */
enum dir_relatives {
	RELATIVES_LEGAL1 = 0,	/* legal = 1 only (entcore default) */
	RELATIVES_LEGAL12,	/* legal = 1 or 2 */
	RELATIVES_ALL		/* every linked relative */
};

struct dir_stats {
	unsigned long	 records;	/* requests read */
	unsigned long	 skipped;	/* requests rejected with an error */
	unsigned long	 added, modified, deleted;
	unsigned long	 files;
};

struct directory {
	struct arena		 arena;
	struct strtab		 strs;
	struct hmap		 ids[CAT__MAX];	/* id -> person/school/label */
	struct dir_person	**persons;	/* every person, first-seen order */
	size_t			 npersons, cap_persons;
	struct dir_school	**schools;	/* sorted by UAI after resolve */
	size_t			 nschools, cap_schools;
	struct dir_class	**classes;	/* all classes, school then natural order */
	size_t			 nclasses, cap_classes;
	struct hmap		 class_map;	/* "jointure$code" -> class */
	struct dir_stats	 stats;
	int			 resolved;
};

void		 directory_init(struct directory *);
void		 directory_free(struct directory *);
const char	*directory_intern(struct directory *, const char *);
int		 directory_apply(struct directory *, const struct dir_record *);
void		 directory_resolve(struct directory *);
struct dir_person *directory_person(const struct directory *, enum dir_cat,
		    const char *);
struct dir_school *directory_school(const struct directory *, const char *);
struct dir_school *directory_school_by_uai(const struct directory *,
		    const char *);
struct dir_class *directory_class(const struct directory *, const char *,
		    const char *);
struct dir_person *directory_add_manual(struct directory *,
		    enum dir_profile, const char *key, const struct dir_src *);
int		 dir_link_is_parent(const struct dir_link *, enum dir_relatives);
const char	*dir_profile_name(enum dir_profile);
enum dir_profile dir_profile_from_name(const char *);
const char	*dir_cat_name(enum dir_cat);

#endif /* ENTPRESS_DIRECTORY_H */
