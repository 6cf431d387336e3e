module gosyncbench

go 1.27
