using MedSeg.Cli;
using MedSeg.Torch.Native;

ScalarLifetimeShim.Install(); // before any TorchSharp call binds its native functions

return CommandLine.Run(args);
