// Entry point of the AffectMae demo command line; the verbs are in Commands/.
using AffectMae.Cli;
using Spectre.Console;

return await CliApplication.RunAsync(args, AnsiConsole.Console);
