module gomemviz/bench/syncmap

go 1.19
