namespace AffectMae.Cli.Pipeline;

/// <summary>Where the pipeline keeps its outputs under one working folder.</summary>
public sealed class Workspace(string root)
{
    /// <summary>The working folder.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Pre-trained MAE weights.</summary>
    public string MaeWeights => Path.Combine(Root, "mae", "mae.safetensors");

    /// <summary>Checkpoints of pre-training.</summary>
    public string MaeCheckpoints => Path.Combine(Root, "mae", "checkpoints");

    /// <summary>Fine-tuned classifier weights.</summary>
    public string ClassifierWeights => Path.Combine(Root, "classifier", "classifier.safetensors");

    /// <summary>Checkpoints of fine-tuning.</summary>
    public string ClassifierCheckpoints => Path.Combine(Root, "classifier", "checkpoints");

    /// <summary>Feature cache of an encoder (<c>finetuned</c> or <c>pretrained</c>).</summary>
    public string Features(string encoder) => Path.Combine(Root, "features", encoder);

    /// <summary>Checkpoints of one temporal model variant.</summary>
    public string Temporal(string variant) => Path.Combine(Root, "temporal", variant);

    /// <summary>PNG plots.</summary>
    public string Plots => Path.Combine(Root, "plots");

    /// <summary>Per-frame prediction files.</summary>
    public string Predictions => Path.Combine(Root, "predictions");

    /// <summary>The JSON summary of the last demo.</summary>
    public string Summary => Path.Combine(Root, "summary.json");
}
