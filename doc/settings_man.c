/* Build tool: prints the SETTINGS section of the man page from the settings table, so that the
 * page cannot disagree with the program (doc/gapneb.1 is made from doc/gapneb.1.in by make). */
#include <stdio.h>

#include "gapneb/settings.h"

int main(void)
{
    gn_settings_print_man(stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}
