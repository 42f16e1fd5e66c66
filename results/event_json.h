#ifndef ALLOCREPRO_EVENT_JSON_H
#define ALLOCREPRO_EVENT_JSON_H

#include <json-c/json.h>
#include "parse/event.h"

json_object *event_to_json(const struct event *e);

#endif
