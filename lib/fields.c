#include "config.h"
#include "fields.h"
