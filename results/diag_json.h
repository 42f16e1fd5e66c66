#ifndef ALLOCREPRO_DIAG_JSON_H
#define ALLOCREPRO_DIAG_JSON_H

#include <json-c/json.h>
#include "model/diagnose.h"

json_object *diagnosis_to_json(const struct diagnosis *d);

#endif
