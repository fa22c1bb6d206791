// --precision on the pipeline verbs: parsed into the recipe (extraction and both temporal models' prediction).
using System.CommandLine;
using AffectMae.Cli.Commands;
using AffectMae.Models.Runtime;

namespace AffectMae.Cli.Tests;

public sealed class PrecisionOptionTests
{
    private static (CommonOptions Options, ParseResult Parse) Parse(params string[] args)
    {
        var options = new CommonOptions();
        var command = new RootCommand();
        options.AddTo(command);
        return (options, command.Parse(args));
    }

    [Theory]
    [InlineData("float32", InferencePrecision.Float32)]
    [InlineData("bfloat16", InferencePrecision.BFloat16)]
    [InlineData("float16", InferencePrecision.Float16)]
    [InlineData("auto", InferencePrecision.Auto)]
    public void Precision_reaches_the_recipes_inference_for_both_temporal_models(string name, InferencePrecision expected)
    {
        var (options, parse) = Parse("--recipe", "demo", "--precision", name);

        var recipe = options.ResolveRecipe(parse);

        parse.Errors.Should().BeEmpty();
        options.ParsePrecision(parse).Should().Be(expected);
        recipe.Inference.Precision.Should().Be(expected);
        recipe.AuthorsTemporal.Inference.Precision.Should().Be(expected);
    }

    [Fact]
    public void Without_precision_the_recipe_keeps_its_own()
    {
        var (options, parse) = Parse("--recipe", "demo");

        options.ParsePrecision(parse).Should().BeNull();
        options.ResolveRecipe(parse).Inference.Precision.Should().Be(InferencePrecision.Float32);
    }

    [Fact]
    public void An_unknown_precision_is_a_parse_error_that_lists_the_names()
    {
        var (_, parse) = Parse("--precision", "half");

        parse.Errors.Should().ContainSingle().Which.Message.Should().Contain("half").And.Contain("bfloat16");
    }
}
