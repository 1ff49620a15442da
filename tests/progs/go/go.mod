module fpkit/progs

go 1.19
