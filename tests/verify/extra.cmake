# fpvm verify on proof files made from the contract-checked vectors (E1 plain, E9 gzipped with an
# oracle read, a reverting step, a wrong post hash, a pre hash that the witness does not match).
if(TARGET fpvm_cli)
  set(_vd ${CMAKE_CURRENT_SOURCE_DIR}/verify)
  set(_ex sh ${_vd}/cli_expect.sh)
  add_test(NAME verify_cli_e1 COMMAND ${_ex} 0 "\"match\": true" $<TARGET_FILE:fpvm_cli> verify --proof ${_vd}/data/E1.json)
  add_test(NAME verify_cli_e9_gz_oracle
           COMMAND ${_ex} 0 "\"post\": \"0x03801e5c9dd6194cadb4601ad1e6a6e81eb5943ebcb3e5eb057b79b0e5fdeb3e\""
                   $<TARGET_FILE:fpvm_cli> verify --proof ${_vd}/data/E9.json.gz
                   --local-context 0x0000000000000000000000000000000000000000000000000000000000000000)
  add_test(NAME verify_cli_revert
           COMMAND ${_ex} 1 "error: step reverts: MIPS64: jump in delay slot"
                   $<TARGET_FILE:fpvm_cli> verify --proof ${_vd}/data/revert.json.gz)
  add_test(NAME verify_cli_mismatch
           COMMAND ${_ex} 1 "error: post-state mismatch"
                   $<TARGET_FILE:fpvm_cli> verify --proof ${_vd}/data/mismatch.json.gz)
  add_test(NAME verify_cli_bad_pre
           COMMAND ${_ex} 1 "not to pre" $<TARGET_FILE:fpvm_cli> verify --proof ${_vd}/data/badpre.json.gz)
  add_test(NAME verify_cli_missing_file
           COMMAND ${_ex} 1 "error: reading proof" $<TARGET_FILE:fpvm_cli> verify --proof ${_vd}/data/none.json)
  set_tests_properties(verify_cli_e1 verify_cli_e9_gz_oracle verify_cli_revert verify_cli_mismatch
                       verify_cli_bad_pre verify_cli_missing_file PROPERTIES LABELS verify)
endif()
