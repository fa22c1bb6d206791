namespace AffectMae.Models.Mae;

/// <summary>
/// Sizes of the fine-tuning model (paper §3.2): the MAE encoder, global average pooling, LayerNorm and a fully
/// connected layer over the 8 expressions.
/// </summary>
public sealed class MaeClassifierOptions
{
    /// <summary>
    /// Encoder sizes (the decoder sizes are ignored) and the feature pooling (<see cref="MaeViTOptions.Pooling"/>: mean of
    /// the patch tokens then <c>fc_norm</c>, or the class token through <c>norm</c>). <value>The default value is ViT-B/16 with mean pooling.</value>
    /// </summary>
    public MaeViTOptions Encoder { get; set; } = MaeViTOptions.Base16Dec512D8;

    /// <summary>Output classes. <value>The default value is 8 (Neutral, Anger, Disgust, Fear, Happiness, Sadness, Surprise, Other).</value></summary>
    public int NumClasses { get; set; } = 8;

    /// <summary>Dropout before the head. <value>The default value is 0.</value></summary>
    public double HeadDropout { get; set; }

    /// <summary>
    /// Layer-wise learning-rate decay for <see cref="MaeClassifier.ParameterGroups"/>: block i trains at
    /// decay^(depth + 1 − (i + 1)) of the base rate, the embeddings at decay^(depth + 1), the head at 1.
    /// 1 turns it off. <value>The default value is 0.75 (MAE's ViT-B fine-tuning recipe).</value>
    /// </summary>
    public double LayerDecay { get; set; } = 0.75;

    /// <summary>The classifier on the tiny test encoder (<see cref="MaeViTOptions.Tiny"/>).</summary>
    public static MaeClassifierOptions Tiny => new() { Encoder = MaeViTOptions.Tiny };

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if any.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Encoder, nameof(Encoder));
        Encoder.Validate();
        var failures = new List<string>();
        if (NumClasses <= 0) failures.Add($"NumClasses must be positive; it is {NumClasses}.");
        if (!(HeadDropout >= 0 && HeadDropout < 1)) failures.Add($"HeadDropout must be in [0, 1); it is {HeadDropout}.");
        if (!(LayerDecay > 0 && LayerDecay <= 1)) failures.Add($"LayerDecay must be in (0, 1]; it is {LayerDecay}. Use 1 to turn it off.");
        if (failures.Count > 0)
            throw new ArgumentException($"Invalid {nameof(MaeClassifierOptions)}: {string.Join(" ", failures)}", "options");
    }
}
