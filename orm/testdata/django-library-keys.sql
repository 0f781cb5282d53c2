-- Part of the Django-made lending library database (Django 3.2, SQLite):
-- the DDL Django generated for three tables and some of their rows, as
-- Django stored them (UUIDs as 32 hex digits without hyphens).
CREATE TABLE IF NOT EXISTS "library_country" ("code" varchar(2) NOT NULL PRIMARY KEY, "name" varchar(80) NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS "library_openinghours" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "weekday" smallint unsigned NOT NULL CHECK ("weekday" >= 0), "opens" time NOT NULL, "closes" time NOT NULL, "branch_id" char(32) NOT NULL REFERENCES "library_branch" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE IF NOT EXISTS "library_branch" ("id" char(32) NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL, "slug" varchar(100) NOT NULL UNIQUE, "city" varchar(80) NOT NULL, "address" text NOT NULL, "opened_on" date NULL, "is_open" bool NOT NULL, "country_id" varchar(2) NOT NULL REFERENCES "library_country" ("code") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "library_openinghours_branch_id_de56fbbf" ON "library_openinghours" ("branch_id");
CREATE INDEX "library_branch_country_id_77540b15" ON "library_branch" ("country_id");
CREATE UNIQUE INDEX "library_openinghours_branch_id_weekday_80db4afe_uniq" ON "library_openinghours" ("branch_id", "weekday");
INSERT INTO "library_country" ("code", "name") VALUES ('BE', 'Belgium');
INSERT INTO "library_country" ("code", "name") VALUES ('CZ', 'Czechia');
INSERT INTO "library_country" ("code", "name") VALUES ('DE', 'Germany');
INSERT INTO "library_country" ("code", "name") VALUES ('FR', 'France');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('1e9fcf90b8b645feac3866974e9864af', 'Médiathèque Françoise Sagan', 'mediatheque-francoise-sagan', 'Paris', '75 rue Lefèvre
Paris', '1996-10-16', 1, 'FR');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('3c482a08b1d94110ab5df802bc274a4d', 'Bibliothèque de la Part-Dieu', 'bibliotheque-de-la-part-dieu', 'Lyon', '81 rue Faure
Lyon', '1966-01-18', 1, 'FR');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('6021923ada714e72953b8d334312d7bf', 'Bibliothèque Václav Havel', 'bibliotheque-vaclav-havel', 'Paris', '112 rue Laurent
Paris', '1985-09-19', 1, 'FR');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('73fd1a7d435b42f4a9033aa900439f7f', 'Bibliothèque Muntpunt', 'bibliotheque-muntpunt', 'Bruxelles', '50 rue Lambert
Bruxelles', '1964-02-21', 1, 'BE');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('77828ee6ad6a44d6ba46e958ce367c8e', 'Médiathèque Marguerite Duras', 'mediatheque-marguerite-duras', 'Paris', '42 rue Roux
Paris', '2005-12-26', 1, 'FR');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('78eeec6883fd4d5fa2212b9e932dc912', 'Stadtbibliothek Saarbrücken', 'stadtbibliothek-saarbrucken', 'Saarbrücken', '109 rue Diallo
Saarbrücken', '1972-01-10', 1, 'DE');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('938245aaab544ca9a3214843b3192875', 'Médiathèque Hélène Berr', 'mediatheque-helene-berr', 'Paris', '41 rue Haddad
Paris', '2004-07-21', 1, 'FR');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('c0c9c977178642a6b888888648166005', 'Bibliothèque Mériadeck', 'bibliotheque-meriadeck', 'Bordeaux', '45 rue Fournier
Bordeaux', '1974-07-20', 1, 'FR');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('dce3f690d0df4f1d8b746d40341cfd17', 'Médiathèque de l''Alcazar', 'mediatheque-de-lalcazar', 'Marseille', '52 rue Morel
Marseille', '1968-03-09', 1, 'FR');
INSERT INTO "library_branch" ("id", "name", "slug", "city", "address", "opened_on", "is_open", "country_id") VALUES ('f7fb46ff67c14a4abfa76c21752fd89b', 'Bibliothèque Forney', 'bibliotheque-forney', 'Paris', '1 rue du Figuier
Paris', NULL, 1, 'FR');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (1, 2, '09:30:00', '19:00:00', '77828ee6ad6a44d6ba46e958ce367c8e');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (2, 3, '13:30:00', '19:00:00', '77828ee6ad6a44d6ba46e958ce367c8e');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (3, 4, '10:30:00', '19:00:00', '77828ee6ad6a44d6ba46e958ce367c8e');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (4, 5, '09:30:00', '18:00:00', '77828ee6ad6a44d6ba46e958ce367c8e');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (5, 6, '10:00:00', '19:00:00', '77828ee6ad6a44d6ba46e958ce367c8e');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (6, 7, '09:00:00', '19:00:00', '77828ee6ad6a44d6ba46e958ce367c8e');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (7, 1, '10:30:00', '18:00:00', '6021923ada714e72953b8d334312d7bf');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (8, 2, '10:00:00', '19:00:00', '6021923ada714e72953b8d334312d7bf');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (9, 3, '13:30:00', '18:00:00', '6021923ada714e72953b8d334312d7bf');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (10, 4, '10:30:00', '22:00:00', '6021923ada714e72953b8d334312d7bf');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (11, 5, '10:00:00', '18:00:00', '6021923ada714e72953b8d334312d7bf');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (12, 6, '10:00:00', '18:00:00', '6021923ada714e72953b8d334312d7bf');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (13, 2, '09:00:00', '19:00:00', '938245aaab544ca9a3214843b3192875');
INSERT INTO "library_openinghours" ("id", "weekday", "opens", "closes", "branch_id") VALUES (14, 3, '13:30:00', '19:00:00', '938245aaab544ca9a3214843b3192875');
