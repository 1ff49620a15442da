/* --debug-info: Cannon's DebugInfo JSON, keys in its struct order. */
#include <stdio.h>
#include <stdlib.h>

#include "run_internal.h"

int fpvm_run_write_debug_info(const char *path, fpvm_mips64_vm *vm) {
  if (!path || !*path) return FPK_OK;
  fpvm_mips64_state *s = fpvm_mips64_vm_state(vm);
  const fpvm_mips64_stats *st = fpvm_mips64_vm_stats(vm);
  unsigned long long pages = (unsigned long long)fpvm_mem_page_count(s->mem);
  char buf[1400];
  int n = snprintf(buf, sizeof buf,
                   "{\n"
                   "  \"pages\": %llu,\n"
                   "  \"memory_used\": \"0x%llx\",\n"
                   "  \"num_preimage_requests\": %llu,\n"
                   "  \"total_preimage_size\": %llu,\n"
                   "  \"total_steps\": %llu,\n"
                   "  \"instruction_cache_miss_count\": %llu,\n"
                   "  \"highest_icache_miss_pc\": \"0x%llx\",\n"
                   "  \"rmw_success_count\": %llu,\n"
                   "  \"rmw_fail_count\": %llu,\n"
                   "  \"max_steps_between_ll_and_sc\": %llu,\n"
                   "  \"reservation_invalidation_count\": %llu,\n"
                   "  \"forced_preemption_count\": %llu,\n"
                   "  \"idle_step_count_thread_0\": %llu\n"
                   "}\n\n",
                   pages, pages * 4096ull, (unsigned long long)st->num_preimage_requests,
                   (unsigned long long)st->total_preimage_size, (unsigned long long)s->step,
                   (unsigned long long)st->icache_miss_count, (unsigned long long)st->highest_icache_miss_pc,
                   (unsigned long long)st->rmw_success_count, (unsigned long long)st->rmw_fail_count,
                   (unsigned long long)st->max_steps_between_ll_and_sc,
                   (unsigned long long)st->reservation_invalidation_count,
                   (unsigned long long)st->forced_preemption_count, (unsigned long long)st->idle_step_count_thread_0);
  if (n < 0 || (size_t)n >= sizeof buf) return fpk_errf(FPK_EINVAL, "debug info: text too long");
  return fpvm_write_file(path, buf, (size_t)n);
}
