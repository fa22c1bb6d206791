using AffectMae.Models.Temporal;

namespace AffectMae.Models.Pipeline;

/// <summary>Which temporal model a recipe trains, a variant runs, or a bundle holds.</summary>
public enum TemporalModelKind
{
    /// <summary>Ours, from the paper's text: <see cref="Temporal.AffectSequenceModel"/>, one model for every task.</summary>
    AffectSequenceModel,

    /// <summary>
    /// The authors' released model: an <see cref="Temporal.AuthorsTemporalModel"/> a task, joined into a
    /// <see cref="PerTaskTemporalModel"/>.
    /// </summary>
    AuthorsTemporalModel,
}
