using System.Text.Json.Nodes;
using AffectMae.Core.Data;
using AffectMae.Models.Temporal;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// The on-disk layout of a run, the one place that knows its paths:
/// <code>
/// recipe.json                                the recipe the run was made with
/// pretrain/checkpoints/{last,best}/          MAE pre-training checkpoints
/// pretrain/model/                            the pre-trained MAE (a model bundle)
/// finetune/checkpoints/{last,best}/          expression fine-tuning checkpoints
/// finetune/model/                            the fine-tuned encoder (a model bundle)
/// features/{finetuned,pretrained}/           one feature file a video, per encoder
/// temporal/&lt;variant&gt;/checkpoints/{last,best}/ temporal-model checkpoints (ours)
/// temporal/&lt;variant&gt;/checkpoints/{va,expr,au}/{last,best}/  the authors' models' checkpoints, one a task
/// temporal/&lt;variant&gt;/model/                 the trained temporal model (a model bundle)
/// predictions/  plots/  summary.json         what evaluation and the demo write
/// </code>
/// </summary>
public sealed class RunFolder
{
    /// <summary>Opens (without creating) the run folder at <paramref name="root"/>.</summary>
    /// <param name="root">The folder.</param>
    public RunFolder(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The folder (full path).</summary>
    public string Root { get; }

    /// <summary>The recipe the run was made with (written by the first stage, checked by every later one).</summary>
    public string RecipeFile => Path.Combine(Root, "recipe.json");

    /// <summary>Checkpoints of MAE pre-training.</summary>
    public string PretrainCheckpoints => Path.Combine(Root, "pretrain", "checkpoints");

    /// <summary>Checkpoints of expression fine-tuning.</summary>
    public string FineTuneCheckpoints => Path.Combine(Root, "finetune", "checkpoints");

    /// <summary>The model bundle of an encoder: the pre-trained MAE or the fine-tuned classifier.</summary>
    /// <param name="encoder">Which one.</param>
    /// <returns>The bundle folder.</returns>
    public string EncoderModel(EncoderKind encoder) => Path.Combine(Root, StageFolder(encoder), "model");

    /// <summary>The feature cache of an encoder.</summary>
    /// <param name="encoder">Whose features.</param>
    /// <returns>The cache folder.</returns>
    public string Features(EncoderKind encoder) => Path.Combine(Root, "features", encoder == EncoderKind.FineTuned ? "finetuned" : "pretrained");

    /// <summary>Checkpoints of one temporal variant.</summary>
    /// <param name="variant">The variant.</param>
    /// <returns>The folder that holds <c>last/</c> and <c>best/</c>.</returns>
    public string TemporalCheckpoints(TemporalVariant variant) => Path.Combine(TemporalFolder(variant), "checkpoints");

    /// <summary>Checkpoints of one task's model of a temporal variant trained one model a task (the authors' models).</summary>
    /// <param name="variant">The variant.</param>
    /// <param name="task">ValenceArousal, Expression or ActionUnits.</param>
    /// <returns>The folder that holds that model's <c>last/</c> and <c>best/</c>.</returns>
    public string TemporalCheckpoints(TemporalVariant variant, AffectTask task) => Path.Combine(TemporalCheckpoints(variant), PerTaskTemporalModel.KeyOf(task));

    /// <summary>The model bundle of one trained temporal variant.</summary>
    /// <param name="variant">The variant.</param>
    /// <returns>The bundle folder.</returns>
    public string TemporalModel(TemporalVariant variant) => Path.Combine(TemporalFolder(variant), "model");

    /// <summary>PNG plots.</summary>
    public string Plots => Path.Combine(Root, "plots");

    /// <summary>Per-frame prediction files.</summary>
    public string Predictions => Path.Combine(Root, "predictions");

    /// <summary>The JSON summary of a demo.</summary>
    public string Summary => Path.Combine(Root, "summary.json");

    /// <summary>
    /// Records <paramref name="recipe"/> in <see cref="RecipeFile"/> when the run has none, or checks that it is the
    /// recipe the run was made with (its name and inference settings, ours and the authors', may differ), so that checkpoints, features and
    /// models of one recipe are never resumed or mixed with another's.
    /// </summary>
    /// <param name="recipe">The recipe of the call.</param>
    /// <exception cref="InvalidOperationException">The run was made with other settings; the message lists them.</exception>
    /// <exception cref="InvalidDataException">The recorded recipe cannot be read.</exception>
    public void UseRecipe(AffectMaeRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (!File.Exists(RecipeFile))
        {
            recipe.Save(RecipeFile);
            return;
        }
        CheckRecipe(recipe);
    }

    /// <summary>
    /// Checks, without writing anything, that <paramref name="recipe"/> is the one the run folder records (when it
    /// records one), apart from the name and the inference settings, which may differ between evaluations.
    /// </summary>
    /// <param name="recipe">The recipe of this call.</param>
    /// <exception cref="InvalidOperationException">The run folder was made with a recipe that differs; the message lists the settings.</exception>
    public void CheckRecipe(AffectMaeRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (!File.Exists(RecipeFile)) return;
        var recorded = AffectMaeRecipe.Load(RecipeFile);
        var differences = Differences(Comparable(recorded), Comparable(recipe), "").ToList();
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"The run folder {Root} was made with recipe '{recorded.Name}' ({RecipeFile}); this call's recipe '{recipe.Name}' differs in "
                + $"{string.Join(", ", differences.Take(8))}{(differences.Count > 8 ? $" and {differences.Count - 8} more" : "")}. "
                + "Use another run folder for another recipe, or delete recipe.json and everything it made to start over.");
    }

    private static JsonObject Comparable(AffectMaeRecipe recipe)
    {
        var json = recipe.ToJson();
        json.Remove(nameof(AffectMaeRecipe.Name));
        json.Remove(nameof(AffectMaeRecipe.Inference));
        (json[AuthorsTemporalOptions.SectionName] as JsonObject)?.Remove(nameof(AuthorsTemporalOptions.Inference));
        return json;
    }

    private static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject x && b is JsonObject y)
        {
            foreach (string key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                foreach (var d in Differences(x[key], y[key], path.Length == 0 ? key : $"{path}.{key}"))
                    yield return d;
        }
        else if (a?.ToJsonString() != b?.ToJsonString())
        {
            yield return $"{path} ({a?.ToJsonString() ?? "null"} → {b?.ToJsonString() ?? "null"})";
        }
    }

    private static string StageFolder(EncoderKind encoder) => encoder == EncoderKind.FineTuned ? "finetune" : "pretrain";

    private string TemporalFolder(TemporalVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return Path.Combine(Root, "temporal", variant.Name);
    }
}
