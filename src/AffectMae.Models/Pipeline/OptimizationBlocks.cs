using AffectMae.Models.Training;

namespace AffectMae.Models.Pipeline;

/// <summary>The optimisation of the three training stages of a recipe (<c>AffectMae:Recipe:Optimization:{Pretraining,FineTuning,Temporal}</c>).</summary>
public sealed class OptimizationBlocks
{
    /// <summary>Stage 1, MAE pre-training. <value>The default value is <see cref="OptimizationOptions.Pretraining"/> (paper §3.1).</value></summary>
    public OptimizationOptions Pretraining { get; set; } = OptimizationOptions.Pretraining;

    /// <summary>Stage 2, expression fine-tuning. <value>The default value is <see cref="OptimizationOptions.FineTuning"/> (paper §3.2).</value></summary>
    public OptimizationOptions FineTuning { get; set; } = OptimizationOptions.FineTuning;

    /// <summary>Stage 3, the temporal model. <value>The default value is <see cref="OptimizationOptions.Temporal"/> (paper §3.4).</value></summary>
    public OptimizationOptions Temporal { get; set; } = OptimizationOptions.Temporal;

    /// <summary>The names of the blocks, which are also the names of the options registered by <c>AddAffectMae</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [nameof(Pretraining), nameof(FineTuning), nameof(Temporal)];

    /// <summary>The block called <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    public OptimizationOptions this[string name] => name switch
    {
        nameof(Pretraining) => Pretraining,
        nameof(FineTuning) => FineTuning,
        nameof(Temporal) => Temporal,
        _ => throw new ArgumentException($"There is no optimisation block '{name}'; use one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>The three blocks in stage order.</summary>
    public IEnumerable<OptimizationOptions> Stages() => [Pretraining, FineTuning, Temporal];
}
