module gomemviz/probe

go 1.19
