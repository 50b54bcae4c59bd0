//! Every `rename_all` rule, per-variant `rename` overriding it, raw identifiers, and `VALUES` in declaration order.

use metrics_core::LabelValue;

macro_rules! rule {
    ($name:ident, $rule:literal, [$($expected:literal),*]) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
        #[metrics(rename_all = $rule)]
        enum $name {
            DeadLetter,
            Run,
        }
        assert_eq!($name::VALUES, [$($expected),*], $rule);
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum Stage {
    Parse,
    #[metrics(rename = "post-process")]
    PostProcess,
    r#Move,
}

fn main() {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
    enum Verbatim {
        DeadLetter,
        Run,
    }
    assert_eq!(Verbatim::VALUES, ["DeadLetter", "Run"]);
    rule!(Lower, "lowercase", ["deadletter", "run"]);
    rule!(Upper, "UPPERCASE", ["DEADLETTER", "RUN"]);
    rule!(Snake, "snake_case", ["dead_letter", "run"]);
    rule!(
        ScreamingSnake,
        "SCREAMING_SNAKE_CASE",
        ["DEAD_LETTER", "RUN"]
    );
    rule!(Kebab, "kebab-case", ["dead-letter", "run"]);
    rule!(Camel, "camelCase", ["deadLetter", "run"]);
    rule!(Pascal, "PascalCase", ["DeadLetter", "Run"]);

    assert_eq!(Stage::VALUES, ["parse", "post-process", "move"]);
    assert_eq!(
        Stage::ALL,
        [Stage::Parse, Stage::PostProcess, Stage::r#Move]
    );
    assert_eq!(Stage::PostProcess.as_str(), "post-process");
    assert_eq!(Stage::from_index(2), Some(Stage::r#Move));
}
