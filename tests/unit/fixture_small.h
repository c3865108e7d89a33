/*
 * fixture_small: a tiny AAF document shared by the directory and select
 * suites: one school (4B, 6A), two siblings in two classes sharing their
 * parents, a legal=2 and a legal=0 relative, a teacher who heads 4B, a
 * staff member, and a student of a second school.
 */
#ifndef ENTPRESS_FIXTURE_SMALL_H
#define ENTPRESS_FIXTURE_SMALL_H

#define SMALL_REQ(cat, id, attrs) \
	"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">" \
	"<value>" cat "</value></attr></operationalAttributes>" \
	"<identifier><id>" id "</id></identifier><attributes>" attrs \
	"</attributes></addRequest>\n"
#define A(n, v)	"<attr name=\"" n "\"><value>" v "</value></attr>"

#define SMALL_DOC \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n" \
	"<addRequest><operationalAttributes><attr name=\"categorieStructure\">" \
	"<value>EtabEducNat</value></attr></operationalAttributes>" \
	"<identifier><id>1</id></identifier><attributes>" \
	A("ENTStructureUAI", "0690001A") A("ENTStructureNomCourant", "CLG$UN") \
	"</attributes></addRequest>\n" \
	"<addRequest><operationalAttributes><attr name=\"categorieStructure\">" \
	"<value>EtabEducNat</value></attr></operationalAttributes>" \
	"<identifier><id>2</id></identifier><attributes>" \
	A("ENTStructureUAI", "0690002B") A("ENTStructureNomCourant", "CLG$DEUX") \
	"</attributes></addRequest>\n" \
	SMALL_REQ("Eleve", "s1", A("sn", "MARTIN") A("givenName", "Léa") \
	    A("ENTPersonStructRattach", "1") A("ENTEleveClasses", "1$4B") \
	    A("ENTEleveNivFormation", "4EME") \
	    "<attr name=\"ENTElevePersRelEleve\"><value>p1$10$1$1$1$0</value>" \
	    "<value>p2$20$1$1$1$0</value><value>p3$39$0$2$1$0</value>" \
	    "<value>p4$90$0$0$1$0</value></attr>") \
	SMALL_REQ("Eleve", "s2", A("sn", "MARTIN") A("givenName", "Hugo") \
	    A("ENTPersonStructRattach", "1") A("ENTEleveClasses", "1$6A") \
	    A("ENTEleveNivFormation", "6EME") \
	    "<attr name=\"ENTElevePersRelEleve\"><value>p1$10$1$1$1$0</value>" \
	    "<value>p2$20$1$1$1$0</value></attr>") \
	SMALL_REQ("Eleve", "s3", A("sn", "ÉLAN") A("givenName", "Zoé") \
	    A("ENTPersonStructRattach", "2") A("ENTEleveClasses", "2$4B") \
	    A("ENTEleveNivFormation", "4EME") \
	    "<attr name=\"ENTElevePersRelEleve\"><value>p5$10$1$1$1$0</value>" \
	    "</attr>") \
	SMALL_REQ("PersRelEleve", "p1", A("sn", "MARTIN") A("givenName", "Anne")) \
	SMALL_REQ("PersRelEleve", "p2", A("sn", "MARTIN") A("givenName", "Marc")) \
	SMALL_REQ("PersRelEleve", "p3", A("sn", "DURAND") A("givenName", "Gisèle")) \
	SMALL_REQ("PersRelEleve", "p4", A("sn", "VOISIN") A("givenName", "Paul")) \
	SMALL_REQ("PersRelEleve", "p5", A("sn", "ÉLAN") A("givenName", "Rose")) \
	SMALL_REQ("PersRelEleve", "p6", A("sn", "SEUL") A("givenName", "Nul")) \
	SMALL_REQ("PersEducNat", "t1", A("sn", "PROF") A("givenName", "ALICE") \
	    A("PersEducNatPresenceDevantEleves", "O") \
	    A("ENTPersonFonctions", "1$ENS$ENSEIGNEMENT$L0201$ANGLAIS") \
	    A("ENTAuxEnsClassesMatieres", "1$4B$030201") \
	    A("ENTAuxEnsClassesPrincipal", "1$4B")) \
	SMALL_REQ("PersEducNat", "t2", A("sn", "AUTRE") A("givenName", "BOB") \
	    A("PersEducNatPresenceDevantEleves", "O") \
	    A("ENTPersonFonctions", "2$ENS$ENSEIGNEMENT$L0201$ANGLAIS") \
	    A("ENTAuxEnsClassesMatieres", "2$4B$030201")) \
	SMALL_REQ("PersEducNat", "a1", A("sn", "GESTION") A("givenName", "CLAIRE") \
	    A("PersEducNatPresenceDevantEleves", "N") \
	    A("ENTPersonFonctions", "1$ADF$ADMINISTRATION$-$-")) \
	"</ficAlimMENESR>\n"

#endif
