namespace AffectMae.Models.Pipeline;

/// <summary>Which encoder's features a temporal model reads.</summary>
public enum EncoderKind
{
    /// <summary>The encoder fine-tuned on expressions (paper §3.2): the paper's features.</summary>
    FineTuned,

    /// <summary>The MAE encoder straight from pre-training: the paper's "without fine-tuning" ablation.</summary>
    Pretrained,
}
