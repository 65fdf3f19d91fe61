#include "config.h"
#include "hash.h"
