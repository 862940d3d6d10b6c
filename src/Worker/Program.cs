using LabelFree.Worker.Cli;

return await LabelFreeCommandLine.RunAsync(args);
