// `demo`: the main job. Generates synthetic videos when the data folder is empty, then runs every stage and reports.
using System.CommandLine;
using AffectMae.Cli.Pipeline;
using AffectMae.Cli.Synthetic;
using Spectre.Console;

namespace AffectMae.Cli.Commands;

/// <summary>The <c>demo</c> verb.</summary>
public static class DemoCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var common = new CommonOptions();
        var ablations = new Option<bool>("--ablations") { Description = "Also run the paper's Table 5 rows: without fine-tuning, without TCN, without Transformer." };
        var videos = new Option<int>("--videos") { Description = "Synthetic videos to generate when the data folder is empty.", DefaultValueFactory = _ => new SyntheticOptions().Videos };
        var command = new Command("demo", "Run the whole method: (generate data,) pre-train, fine-tune, extract, train the temporal model, evaluate.") { ablations, videos };
        common.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (common.Resolve(parse, console) is not { } run) return Task.FromResult(ExitCodes.UsageError);
            var synthetic = new SyntheticOptions { Videos = parse.GetValue(videos), Seed = run.Settings.Seed };
            return Task.FromResult(CommonOptions.Guard(console, () =>
            {
                new DemoRunner(console, run.Device).Run(run.DataRoot, run.Workspace, run.Settings, parse.GetValue(ablations), synthetic, cancellationToken);
                return ExitCodes.Success;
            }));
        });
        return command;
    }
}
