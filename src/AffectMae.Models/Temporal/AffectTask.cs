namespace AffectMae.Models.Temporal;

/// <summary>The ABAW tasks a model predicts; combine with <c>|</c>.</summary>
[Flags]
public enum AffectTask
{
    /// <summary>No task; not a valid head selection.</summary>
    None = 0,

    /// <summary>Valence and arousal in [−1, 1] per frame (2 outputs, tanh).</summary>
    ValenceArousal = 1,

    /// <summary>Eight basic expressions per frame (8 logits).</summary>
    Expression = 2,

    /// <summary>Twelve facial action units per frame (12 logits, one per unit).</summary>
    ActionUnits = 4,

    /// <summary>All three tasks.</summary>
    All = ValenceArousal | Expression | ActionUnits,
}
