using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// AdamW parameter groups that exempt biases, norm weights and tokens (1-D or [1, 1, D] parameters) from weight decay,
/// as timm's <c>param_groups_weight_decay</c> does for MAE pre-training.
/// </summary>
public static class WeightDecayGroups
{
    /// <summary>Two groups at <paramref name="options"/>' rate: decayed matrices, and everything else without decay.</summary>
    public static AdamW CreateAdamW(nn.Module model, OptimizationOptions options) => CreateAdamW(ParameterGroups(model, options), options);

    /// <summary>
    /// The two groups <see cref="CreateAdamW(nn.Module, OptimizationOptions)"/> optimises, for an optimiser of your own:
    /// the trainable matrices with <paramref name="options"/>' weight decay, then the trainable biases, norm weights,
    /// tokens and <c>pos_embed</c> without decay; both at <paramref name="options"/>' learning rate.
    /// </summary>
    public static AdamW.ParamGroup[] ParameterGroups(nn.Module model, OptimizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        bool NoDecay(string name, Parameter p) => p.dim() <= 1 || name.EndsWith("token", StringComparison.Ordinal) || name == "pos_embed";
        return
        [
            new AdamW.ParamGroup(trainable.Where(p => !NoDecay(p.name, p.parameter)).Select(p => p.parameter), new AdamW.Options { LearningRate = options.LearningRate, weight_decay = options.WeightDecay }),
            new AdamW.ParamGroup(trainable.Where(p => NoDecay(p.name, p.parameter)).Select(p => p.parameter), new AdamW.Options { LearningRate = options.LearningRate, weight_decay = 0.0 }),
        ];
    }

    /// <summary>
    /// AdamW over prepared groups with the options' betas; it updates parameters exactly as TorchSharp's and PyTorch's
    /// AdamW and frees each parameter's temporaries before the next (see <see cref="ScopedAdamW"/>).
    /// </summary>
    public static AdamW CreateAdamW(IEnumerable<AdamW.ParamGroup> groups, OptimizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(options);
        return new ScopedAdamW(groups, options);
    }
}
