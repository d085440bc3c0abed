using MedSeg.Cli;

return CommandLine.Run(args);
