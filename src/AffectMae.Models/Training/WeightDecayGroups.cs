// The decay / no-decay split of MAE's main_pretrain.py (CC BY-NC 4.0), which calls timm 0.3.2's
// optim_factory.add_weight_decay(model, weight_decay) with no skip list (Apache-2.0): a parameter escapes weight decay
// when it is 1-D or its name ends in ".bias". Fine-tuning's rule (also pos_embed and cls_token) is in
// MaeClassifier.ParameterGroups, after MAE's util/lr_decay.py.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// AdamW parameter groups for MAE pre-training and for the temporal model: biases and 1-D parameters (norm weights)
/// are not decayed; everything else is, tokens included (MAE's pre-training passes no skip list, so <c>cls_token</c>
/// and <c>mask_token</c> [1, 1, D] are decayed; the fixed <c>pos_embed</c> is frozen and in no group).
/// </summary>
public static class WeightDecayGroups
{
    /// <summary>Two groups at <paramref name="options"/>' rate: decayed parameters, and biases and 1-D parameters without decay.</summary>
    public static AdamW CreateAdamW(nn.Module model, OptimizationOptions options) => CreateAdamW(ParameterGroups(model, options), options);

    /// <summary>
    /// The two groups <see cref="CreateAdamW(nn.Module, OptimizationOptions)"/> optimises, for an optimiser of your own:
    /// the trainable parameters with <paramref name="options"/>' weight decay, then the trainable biases and 1-D
    /// parameters without decay; both at <paramref name="options"/>' learning rate. Frozen parameters are in neither. With
    /// <see cref="OptimizationOptions.DecayEveryParameter"/> (the authors' temporal training) every parameter is in the
    /// first group and the second is empty.
    /// </summary>
    public static AdamW.ParamGroup[] ParameterGroups(nn.Module model, OptimizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        bool NoDecay(string name, Parameter p) => !options.DecayEveryParameter && (p.dim() <= 1 || name.EndsWith(".bias", StringComparison.Ordinal));
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
