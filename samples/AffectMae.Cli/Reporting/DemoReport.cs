using System.Globalization;
using System.Text.Json;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Pipeline;

namespace AffectMae.Cli.Reporting;

/// <summary>What a demo run measured, as written to <c>summary.json</c>.</summary>
internal sealed record DemoReport
{
    /// <summary>Seed of the run.</summary>
    public int Seed { get; init; }

    /// <summary>Per-stage results (pre-training, fine-tuning).</summary>
    public List<StageResult> Stages { get; init; } = [];

    /// <summary>ABAW scores on the validation videos, by row (baseline, frame-only, full, ablations).</summary>
    public Dictionary<string, TaskScores> Temporal { get; init; } = [];

    /// <summary>Files the run wrote (plots, predictions).</summary>
    public List<string> Files { get; init; } = [];

    /// <summary>Wall-clock seconds.</summary>
    public double Seconds { get; set; }

    /// <summary>Writes the report as indented JSON, atomically.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    public static DemoReport Load(string path) =>
        JsonSerializer.Deserialize<DemoReport>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} holds no demo report.");
}

/// <summary>P_VA, P_EXPR and P_AU of one row (NaN where a task was not scored).</summary>
internal sealed record TaskScores(double ValenceArousal, double Expression, double ActionUnits)
{
    /// <summary>The scores of an evaluation.</summary>
    public static TaskScores From(AbawEvaluation evaluation) => new(
        evaluation.ValenceArousal?.Score ?? double.NaN, evaluation.Expression?.Score ?? double.NaN, evaluation.ActionUnits?.Score ?? double.NaN);

    /// <summary>Three decimals, or a dash.</summary>
    public static string Format(double value) => double.IsNaN(value) ? "-" : value.ToString("F3", CultureInfo.InvariantCulture);
}
