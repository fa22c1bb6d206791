// `demo`: the main job. Generates synthetic videos when the data folder is empty, then runs every stage and reports.
using System.CommandLine;
using AffectMae.Cli.Reporting;
using AffectMae.Cli.Synthetic;
using Spectre.Console;

namespace AffectMae.Cli.Commands;

/// <summary>The <c>demo</c> verb.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var common = new CommonOptions();
        var ablations = new Option<bool>("--ablations") { Description = "Also run the paper's Table 5 rows (without fine-tuning, without TCN, without Transformer) and the authors' released model." };
        var videos = new Option<int>("--videos") { Description = "Synthetic videos to generate when the data folder is empty.", DefaultValueFactory = _ => new SyntheticOptions().Videos };
        var command = new Command("demo", "Run the whole method: (generate data,) pre-train, fine-tune, extract, train the temporal model, evaluate.") { ablations, videos };
        common.AddTo(command);
        CommonOptions.SetAction(command, console, (parse, cancellationToken) =>
        {
            var run = common.Resolve(parse);
            var synthetic = new SyntheticOptions { Videos = parse.GetValue(videos), Seed = run.Pipeline.Recipe.Seed };
            new DemoRunner(console, run.Pipeline).Run(run.DataRoot, parse.GetValue(ablations), synthetic, cancellationToken);
        });
        return command;
    }
}
