/* gapneb: TSV cells (see tsv_internal.h). */
#include "tsv_internal.h"

#include <math.h>

void gn_tsv_put_text(FILE *fp, const char *s)
{
    for (; *s; s++)
        fputc((*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s, fp);
}

void gn_tsv_put_num(FILE *fp, const char *fmt, double v)
{
    if (isnan(v))
        fputs("nan", fp);
    else if (isinf(v))
        fputs(v > 0 ? "inf" : "-inf", fp);
    else
        fprintf(fp, fmt, v);
}
