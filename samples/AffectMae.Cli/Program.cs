// Entry point of the AffectMae demo command line; the verbs are in Commands/.
using AffectMae.Cli;
using AffectMae.Models.Runtime;
using Spectre.Console;

NativeHeap.UseFixedThresholds();   // process-wide, so the application's call: every model call at full speed from the first
return await CliApplication.RunAsync(args, AnsiConsole.Console);
