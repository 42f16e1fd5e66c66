/* The verbs of the allocrepro command line, one file each. */
#ifndef ALLOCREPRO_CLI_H
#define ALLOCREPRO_CLI_H

int cmd_run(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_workload(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_doctor(int argc, char **argv);

/* cmd_export.c: --lava of run and lab run: the run's verdicts as LAVA
 * test cases on stdout (and to lava-test-case in a LAVA test shell). */
void lava_cases(const char *dir);

#endif
