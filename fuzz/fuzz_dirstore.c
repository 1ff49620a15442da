/* Directory-store reader: value files, entry names and key/value lines from arbitrary bytes. Values that
 * decode must re-encode to the same digits (case aside). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/hex.h"
#include "host/oracle.h"
#include "host/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  uint8_t *val;
  size_t len;
  if (fph_dir_value_decode(text, size, &val, &len) == FPK_OK) {
    if (len * 2 != size) abort();
    char *re = malloc(2 * len + 1);
    fpk_hex_encode(re, val, len);
    for (size_t i = 0; i < size; i++)
      if (tolower((unsigned char)text[i]) != re[i]) abort();
    free(re);
    free(val);
  }
  /* names: split the input into a dir part (first 4 bytes) and a file name */
  char name[128], dir[8];
  size_t nl = size > 4 ? size - 4 : 0;
  if (nl >= sizeof name) nl = sizeof name - 1;
  memcpy(dir, text, size < 4 ? size : 4);
  dir[size < 4 ? size : 4] = 0;
  if (nl) memcpy(name, text + 4, nl);
  name[nl] = 0;
  uint8_t key[32];
  if (fph_dir_name_key(FPH_LAYOUT_DIRECTORY, dir, name, key) == FPK_OK) {
    char hex[65];
    fpk_hex_encode(hex, key, 32);
    if (memcmp(hex, dir, 4) != 0 || memcmp(hex + 4, name, 60) != 0) abort();
  }
  (void)fph_dir_name_key(FPH_LAYOUT_FILE, NULL, name, key);
  if (fph_kv_line(text, size, key, &val, &len) == FPK_OK) free(val);
  return 0;
}
