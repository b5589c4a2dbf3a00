global using CompiledNets;
