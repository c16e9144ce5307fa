module gomemviz/bench/map_bench_go

go 1.19
