// TorchSharp 0.107's AdamW with one dispose scope per parameter instead of one for the whole step. The update is that
// of TorchSharp's AdamW.step (src/TorchSharp/Optimizers/AdamW.cs, MIT License, .NET Foundation), which follows
// PyTorch's torch.optim.AdamW; only the lifetime of the temporaries changes, so results are bit-identical.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, arXiv:1711.05101) whose per-parameter temporaries are freed before the next parameter
/// is updated, as PyTorch frees them.
/// </summary>
/// <remarks>
/// TorchSharp's <c>OptimizerHelper._step</c> opens one dispose scope around the update of every parameter of every
/// group, and <c>AdamW.step</c> makes two parameter-sized temporaries for each parameter (√v and the denominator), so
/// at the end of a step twice the model's size in temporaries is alive at once: 2 × 447 MB for the ViT-B MAE, which
/// set the MAE step's peak memory. Here each parameter has its own scope and the division is done in place, so at most
/// one parameter-sized temporary exists. Options, state and checkpoints (<see cref="AdamW.State"/>) are the base
/// class's; <see cref="WeightDecayGroups.CreateAdamW(nn.Module, OptimizationOptions)"/> and
/// <see cref="Trainer.CreateAdamW"/> return this optimiser.
/// </remarks>
internal sealed class ScopedAdamW : AdamW
{
    /// <summary>AdamW over <paramref name="groups"/> with <paramref name="options"/>' rate, betas and weight decay (ε = 1e-8).</summary>
    public ScopedAdamW(IEnumerable<ParamGroup> groups, OptimizationOptions options)
        : base(groups, options.LearningRate, options.Beta1, options.Beta2, weight_decay: options.WeightDecay)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
        {
            using (enable_grad()) loss = closure();
        }
        using var _ = no_grad();
        foreach (var group in _parameter_groups)
        {
            var options = (Options)group.Options;
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
            double weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
            bool amsgrad = options.amsgrad!.Value, maximize = options.maximize!.Value;
            foreach (var param in group.Parameters)
            {
                using var scope = NewDisposeScope();                                   // this parameter's temporaries only
                var state = (State)_state[param.Handle];
                var grad = param.grad;
                if (grad is null) continue;
                if (maximize) grad = -grad;

                state.step += 1;
                param.mul_(1 - lr * weightDecay);                                      // decoupled weight decay
                double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                state.exp_avg.mul_(beta1).add_(grad, alpha: 1 - beta1);                // m = β1·m + (1 − β1)·g
                state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);   // v = β2·v + (1 − β2)·g²
                Tensor denom;
                if (amsgrad)
                {
                    var previous = state.max_exp_avg_sq;
                    state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                    previous.Dispose();
                    denom = state.max_exp_avg_sq.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(eps);
                }
                else
                {
                    denom = state.exp_avg_sq.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(eps);   // √v / √(1 − β2ᵗ) + ε, one temporary
                }
                param.addcdiv_(state.exp_avg, denom, value: -lr / biasCorrection1);   // θ −= lr / (1 − β1ᵗ) · m / denom
            }
        }
        return loss!;
    }
}
