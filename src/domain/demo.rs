//! The demo round: the four issues of the 2025 consultation on the French health
//! ministry's AI strategy, with questions of every kind. No real organisation's name is
//! ever attached to invented content.

use chrono::{DateTime, Duration, Utc};

use super::rounds::{
    Audience, Chapter, ChapterWithQuestions, ChoiceOption, NewRound, Question, QuestionSpec,
    RoundStatus, ScaleSpec, Slug,
};

pub const DEMO_SLUG: &str = "ia-en-sante";

fn option(key: &str, label: &str) -> ChoiceOption {
    ChoiceOption::new(key, label)
}

fn question(
    code: &str,
    position: i32,
    prompt: &str,
    help: &str,
    required: bool,
    spec: QuestionSpec,
) -> Question {
    Question {
        code: code.into(),
        position,
        prompt: prompt.into(),
        help: help.into(),
        required,
        spec,
    }
}

fn chapter(
    code: &str,
    position: i32,
    title: &str,
    description: &str,
    questions: Vec<Question>,
) -> ChapterWithQuestions {
    ChapterWithQuestions {
        chapter: Chapter {
            code: code.into(),
            position,
            title: title.into(),
            description: description.into(),
        },
        questions,
    }
}

fn testimony(code: &str, position: i32, prompt: &str) -> Question {
    question(
        code,
        position,
        prompt,
        "Décrivez une situation vécue par vos membres : ce qui s'est passé, ce qui a aidé, ce qui a manqué.",
        true,
        QuestionSpec::LongText { max_length: 5000 },
    )
}

fn proposals(code: &str, position: i32) -> Question {
    question(
        code,
        position,
        "Quelles actions concrètes proposez-vous ?",
        "Une proposition par ligne : un titre court, puis une description.",
        false,
        QuestionSpec::Proposals { max_items: 10 },
    )
}

/// The demo round, open from `now` for eight weeks.
pub fn demo_round(now: DateTime<Utc>) -> NewRound {
    let agreement = ScaleSpec {
        min: 1,
        max: 5,
        min_label: "Pas du tout d'accord".into(),
        max_label: "Tout à fait d'accord".into(),
    };
    NewRound {
        slug: Slug::parse(DEMO_SLUG).expect("the demo slug is valid"),
        title: "Stratégie ministérielle pour l'IA en santé".into(),
        summary: "Recueil des témoignages et des propositions d'actions des associations membres, \
                  pour une contribution collective à la consultation sur l'intelligence artificielle en santé."
            .into(),
        body: "Cette consultation rassemble l'expérience des personnes concernées, enjeu par enjeu. \
               Chaque organisation répond au nom de ses membres ; plusieurs personnes peuvent rédiger ensemble."
            .into(),
        opens_at: Some(now),
        closes_at: now + Duration::weeks(8),
        audience: Audience::AllApproved,
        status: RoundStatus::Open,
        chapters: vec![
            chapter(
                "E1",
                1,
                "Repenser l'accès et le recours au système de santé",
                "Prise de rendez-vous, orientation, téléconsultation : où l'IA aide-t-elle, où exclut-elle ?",
                vec![
                    testimony("E1.Q1", 1, "Quelles difficultés d'accès aux soins vos membres rencontrent-ils ?"),
                    question(
                        "E1.Q2",
                        2,
                        "Parmi ces outils, lesquels vos membres utilisent-ils déjà ?",
                        "Cochez tout ce qui s'applique.",
                        false,
                        QuestionSpec::MultipleChoice {
                            options: vec![
                                option("prise_rdv", "Prise de rendez-vous en ligne"),
                                option("teleconsultation", "Téléconsultation"),
                                option("agent_conversationnel", "Agent conversationnel d'orientation"),
                                ChoiceOption {
                                    exclusive: true,
                                    ..option("aucun", "Aucun de ces outils")
                                },
                            ],
                            min_choices: 1,
                            max_choices: 3,
                        },
                    ),
                    proposals("E1.Q3", 3),
                ],
            ),
            chapter(
                "E2",
                2,
                "Repenser les soins proposés aux patients",
                "Aide au diagnostic, suivi des traitements, information du patient sur l'usage de l'IA.",
                vec![
                    testimony("E2.Q1", 1, "Comment l'IA a-t-elle changé les soins reçus par vos membres ?"),
                    question(
                        "E2.Q2",
                        2,
                        "Le patient doit être informé chaque fois qu'une IA contribue à une décision de soin.",
                        "Indiquez votre degré d'accord.",
                        true,
                        QuestionSpec::Scale { scale: agreement.clone() },
                    ),
                    proposals("E2.Q3", 3),
                ],
            ),
            chapter(
                "E3",
                3,
                "Repenser la construction des parcours pour plus de prévention et d'accompagnement",
                "Prévention, maladies chroniques, coordination entre professionnels et aidants.",
                vec![
                    testimony("E3.Q1", 1, "Quels moments du parcours de soins gagneraient à être mieux accompagnés ?"),
                    question(
                        "E3.Q2",
                        2,
                        "Qui devrait avoir accès aux recommandations de prévention produites par une IA ?",
                        "Un seul choix.",
                        true,
                        QuestionSpec::SingleChoice {
                            options: vec![
                                option("patient", "Le patient seul"),
                                option("patient_medecin", "Le patient et son médecin traitant"),
                                option("equipe", "Toute l'équipe de soins, avec l'accord du patient"),
                            ],
                            min_choices: 1,
                            max_choices: 1,
                        },
                    ),
                    proposals("E3.Q3", 3),
                ],
            ),
            chapter(
                "E4",
                4,
                "L'IA générative face aux questions des usagers sur la santé",
                "Agents conversationnels grand public : fiabilité, sources, responsabilité.",
                vec![
                    testimony("E4.Q1", 1, "Vos membres posent-ils des questions de santé à des IA génératives ? Racontez."),
                    question(
                        "E4.Q2",
                        2,
                        "En une phrase, quelle garantie attendez-vous d'une IA qui répond sur la santé ?",
                        "200 caractères au plus.",
                        false,
                        QuestionSpec::ShortText { max_length: 200 },
                    ),
                    question(
                        "E4.Q3",
                        3,
                        "Les réponses des IA génératives sur la santé sont aujourd'hui dignes de confiance.",
                        "Indiquez votre degré d'accord.",
                        false,
                        QuestionSpec::Scale { scale: agreement },
                    ),
                    proposals("E4.Q4", 4),
                ],
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_round_covers_every_kind_with_unique_codes() {
        let round = demo_round(Utc::now());
        assert_eq!(round.chapters.len(), 4);
        let questions: Vec<_> = round.chapters.iter().flat_map(|c| &c.questions).collect();
        let kinds: HashSet<_> = questions.iter().map(|q| q.spec.kind()).collect();
        assert_eq!(kinds.len(), 6, "{kinds:?}");
        let codes: HashSet<_> = questions.iter().map(|q| q.code.as_str()).collect();
        assert_eq!(codes.len(), questions.len());
    }
}
