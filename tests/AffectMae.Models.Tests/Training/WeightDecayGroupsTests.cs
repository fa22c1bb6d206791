using AffectMae.Models.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Training;

public sealed class WeightDecayGroupsTests
{
    // cls_token [1, 1, 4], proj: Linear(4, 3), norm: LayerNorm(3), frozen: Linear(3, 2) with requires_grad off.
    private sealed class Net : nn.Module
    {
        private readonly Parameter cls_token = nn.Parameter(zeros(1, 1, 4));
        private readonly Linear proj = nn.Linear(4, 3);
        private readonly LayerNorm norm = nn.LayerNorm(3);
        private readonly Linear frozen = nn.Linear(3, 2);

        public Net() : base(nameof(Net))
        {
            RegisterComponents();
            foreach (var p in frozen.parameters()) p.requires_grad = false;
        }
    }

    [Fact]
    public void As_in_MAE_pretraining_matrices_and_tokens_are_decayed_biases_and_norms_are_not_and_frozen_parameters_are_left_out()
    {
        using var net = new Net();
        var options = new OptimizationOptions { LearningRate = 3e-4, WeightDecay = 0.05 };

        var groups = WeightDecayGroups.ParameterGroups(net, options);

        groups.Should().HaveCount(2);
        // decayed: cls_token [1, 1, 4] = 4 values (3-D; MAE's pre-training has no skip list), proj.weight [3, 4] = 12
        groups[0].Parameters.Select(p => p.numel()).Should().Equal(4, 12);
        ((AdamW.Options)groups[0].Options).weight_decay.Should().Be(0.05);
        // not decayed: proj.bias 3, norm.weight 3, norm.bias 3 (in registration order); frozen.* in neither
        groups[1].Parameters.Select(p => p.numel()).Should().Equal(3, 3, 3);
        ((AdamW.Options)groups[1].Options).weight_decay.Should().Be(0.0);
        groups.Should().OnlyContain(g => g.Options.LearningRate == 3e-4);
    }
}
