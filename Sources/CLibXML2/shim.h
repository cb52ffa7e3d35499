#include <libxml/xmlversion.h>
// libxml2's headers pull in the system's ICU when it was built with ICU; Foundation brings an
// ICU of its own, and the two clash in one Swift module. factop uses no libxml2 type that ICU
// changes (only the character-encoding handler's layout does), so it reads them without it.
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>

static inline void factop_libxml2_ignore(void *context, const char *message, ...) {}

// libxml2 prints some errors (the encoding layer's) to standard error through its per-thread
// generic handler, which would write over the cockpit. factop reads each reader's errors through
// its structured handler instead. Swift cannot write a variadic C function, so this is here.
static inline void factop_libxml2_silence_generic_errors(void) {
  xmlSetGenericErrorFunc(NULL, factop_libxml2_ignore);
}
