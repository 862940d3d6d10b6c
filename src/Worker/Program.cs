using LabelFree.Worker.Cli;
using LabelFree.Worker.Hosting;

AllocatorLaunch.RestartOnTcmallocIfAvailable();
return await LabelFreeCommandLine.RunAsync(args);
