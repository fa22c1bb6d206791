namespace AffectMae.Models.Pipeline;

/// <summary>
/// One temporal-model configuration: which features, which model, and, for ours, which of TCN and Transformer it uses
/// (the paper's Table 5 ablations).
/// </summary>
/// <param name="Name">Its name in run folders, tables and on the command line.</param>
/// <param name="Encoder">Whose features it reads.</param>
/// <param name="UseTcn">Whether our model's TCN is in (the authors' model always has its own).</param>
/// <param name="UseTransformer">Whether our model's Transformer is in (the authors' model always has its own).</param>
/// <param name="Model">Which temporal model, or null for the recipe's (<see cref="AffectMaeRecipe.TemporalModel"/>).</param>
public sealed record TemporalVariant(string Name, EncoderKind Encoder, bool UseTcn, bool UseTransformer, TemporalModelKind? Model = null)
{
    /// <summary>The recipe's temporal model on fine-tuned features: ours (TCN → Transformer → heads) or the authors', as the recipe says.</summary>
    public static TemporalVariant Full { get; } = new("full", EncoderKind.FineTuned, true, true);

    /// <summary>Our heads on each frame's features alone (no temporal context): the baseline the temporal model must beat.</summary>
    public static TemporalVariant FrameOnly { get; } = new("frame-only", EncoderKind.FineTuned, false, false, TemporalModelKind.AffectSequenceModel);

    /// <summary>The authors' released model on fine-tuned features, with their training and inference (<see cref="AffectMaeRecipe.AuthorsTemporal"/>), next to ours.</summary>
    public static TemporalVariant Authors { get; } = new("authors", EncoderKind.FineTuned, true, true, TemporalModelKind.AuthorsTemporalModel);

    /// <summary>
    /// The paper's Table 5 rows: full and without fine-tuning (the recipe's model), without TCN and without Transformer
    /// (switches of ours).
    /// </summary>
    public static IReadOnlyList<TemporalVariant> Ablations { get; } =
    [
        Full,
        new("no-finetuning", EncoderKind.Pretrained, true, true),
        new("no-tcn", EncoderKind.FineTuned, false, true, TemporalModelKind.AffectSequenceModel),
        new("no-transformer", EncoderKind.FineTuned, true, false, TemporalModelKind.AffectSequenceModel),
    ];

    /// <summary>Every variant: <see cref="FrameOnly"/>, the <see cref="Ablations"/> and <see cref="Authors"/>.</summary>
    public static IReadOnlyList<TemporalVariant> All { get; } = [FrameOnly, .. Ablations, Authors];

    /// <summary>The variant called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No variant has that name; the message lists the names.</exception>
    public static TemporalVariant Named(string name) =>
        All.SingleOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"There is no temporal variant '{name}'; use one of {string.Join(", ", All.Select(v => v.Name))}.", nameof(name));
}
