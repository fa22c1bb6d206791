using AffectMae.Core.Data;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Temporal;

public sealed class TaskHeadsTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> weights = Fixture.Load("task_heads_tiny.weights");
    private readonly Dictionary<string, Tensor> io = Fixture.Load("task_heads_tiny.io");

    public void Dispose()
    {
        weights.DisposeAll();
        io.DisposeAll();
    }

    [Fact]
    public void Tiny_heads_match_the_pytorch_reference_for_all_three_tasks()
    {
        using var heads = Reference.LoadStrict(new TaskHeads(TaskHeadsOptions.Tiny24), weights);

        using var predictions = heads.call(io["x"]);

        predictions.ValenceArousal!.ShouldMatchLogged(io["va"], "heads va", output);
        predictions.Expression!.ShouldMatchLogged(io["expr"], "heads expr", output);
        predictions.ActionUnits!.ShouldMatchLogged(io["au"], "heads au", output);
    }

    [Fact]
    public void Valence_and_arousal_head_is_tanh_of_fc2_of_relu_of_fc1()
    {
        // Written out with the fixture's own weights: tanh(W2·max(0, W1·x + b1) + b2).
        using var scope = NewDisposeScope();
        using var heads = Reference.LoadStrict(new TaskHeads(TaskHeadsOptions.Tiny24), weights);
        var hidden = io["x"].matmul(weights["va.fc1.weight"].t()) + weights["va.fc1.bias"];
        var expected = tanh(hidden.clamp_min(0).matmul(weights["va.fc2.weight"].t()) + weights["va.fc2.bias"]);

        using var predictions = heads.call(io["x"]);

        predictions.ValenceArousal!.ShouldMatchLogged(expected, "va by hand", output);
    }

    [Fact]
    public void Only_the_selected_tasks_get_a_head_and_an_output()
    {
        var options = TaskHeadsOptions.Tiny24;
        options.Tasks = AffectTask.Expression | AffectTask.ActionUnits;
        using var heads = new TaskHeads(options);

        using var predictions = heads.call(io["x"]);

        heads.state_dict().Keys.Should().BeEquivalentTo(
            "expr.fc1.weight", "expr.fc1.bias", "expr.fc2.weight", "expr.fc2.bias",
            "au.fc1.weight", "au.fc1.bias", "au.fc2.weight", "au.fc2.bias");
        predictions.ValenceArousal.Should().BeNull();
        predictions.Expression!.shape.Should().Equal(2, 10, 8);
        predictions.ActionUnits!.shape.Should().Equal(2, 10, 12);
    }

    [Fact]
    public void An_unknown_task_flag_is_rejected_with_the_known_ones()
    {
        var options = TaskHeadsOptions.Tiny24;
        options.Tasks = (AffectTask)8;

        var build = () => new TaskHeads(options);

        build.Should().Throw<ArgumentException>()
            .WithMessage("TaskHeadsOptions.Tasks is 8, which holds a flag no task has: combine only ValenceArousal (1), Expression (2) and ActionUnits (4), or use All (7).*");
    }

    [Fact]
    public void Selecting_no_task_is_rejected()
    {
        var options = TaskHeadsOptions.Tiny24;
        options.Tasks = AffectTask.None;

        var build = () => new TaskHeads(options);

        build.Should().Throw<ArgumentException>().WithMessage("TaskHeadsOptions.Tasks selects no task*");
    }

    [Fact]
    public void Tokens_of_the_wrong_width_are_rejected_naming_the_option()
    {
        using var heads = new TaskHeads(TaskHeadsOptions.Tiny24);
        using var x = zeros(2, 10, 32);

        var run = () => heads.call(x);

        run.Should().Throw<ArgumentException>().WithMessage("x has 32 features per frame but the module was built for 24: set TaskHeadsOptions.InputDim to 32*");
    }

    [Fact]
    public void Disposing_the_predictions_disposes_every_tensor()
    {
        using var heads = new TaskHeads(TaskHeadsOptions.Tiny24);
        var predictions = heads.call(io["x"]);
        var tensors = predictions.Tensors.ToList();

        predictions.Dispose();

        tensors.Should().HaveCount(3).And.OnlyContain(t => t.IsInvalid);
    }
}
