using System.Globalization;
using Spectre.Console;

namespace AffectMae.Cli.Reporting;

/// <summary>The demo's summary tables.</summary>
internal static class DemoTables
{
    /// <summary>Writes the stage table, the temporal comparison and, with ablations, the paper's Table 5 rows and the authors' model.</summary>
    public static void Write(IAnsiConsole console, DemoReport report, bool ablations)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        var stages = new Table().Title("Stages (held-out videos)").AddColumn("stage").AddColumn("metric")
            .AddColumn(new TableColumn("ours").RightAligned()).AddColumn(new TableColumn("baseline").RightAligned()).AddColumn("baseline is");
        foreach (var stage in report.Stages)
            stages.AddRow(Markup.Escape(stage.Stage), Markup.Escape(stage.Metric), TaskScores.Format(stage.Value), TaskScores.Format(stage.Baseline), Markup.Escape(stage.BaselineName));
        console.Write(stages);

        string[] rows = ablations
            ? ["constant / majority baseline", "frame-only", "full", "no-finetuning", "no-tcn", "no-transformer", "authors"]
            : ["constant / majority baseline", "frame-only", "full"];
        var temporal = new Table().Title(ablations ? "Temporal model, the paper's Table 5 ablations and the authors' released model (validation videos)" : "Temporal model (validation videos)")
            .AddColumn("model").AddColumn(new TableColumn("P_VA").RightAligned()).AddColumn(new TableColumn("P_EXPR").RightAligned()).AddColumn(new TableColumn("P_AU").RightAligned());
        foreach (var row in rows.Where(report.Temporal.ContainsKey))
        {
            var s = report.Temporal[row];
            temporal.AddRow(Markup.Escape(Describe(row)), TaskScores.Format(s.ValenceArousal), TaskScores.Format(s.Expression), TaskScores.Format(s.ActionUnits));
        }
        console.Write(temporal);
        foreach (var file in report.Files)
            ConsoleLines.Wrote(console, file);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Finished in {report.Seconds:F0} s (seed {report.Seed})."));
    }

    private static string Describe(string row) => row switch
    {
        "frame-only" => "frame-only heads (no TCN, no Transformer)",
        "full" => "full: fine-tuned MAE features → TCN → Transformer",
        "no-finetuning" => "without fine-tuning (pre-trained MAE features)",
        "no-tcn" => "without TCN",
        "no-transformer" => "without Transformer",
        "authors" => "authors' released model (one a task; their training and inference)",
        _ => row,
    };
}
