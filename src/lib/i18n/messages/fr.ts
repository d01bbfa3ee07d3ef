import type { MessageKey } from './en';

/** French catalog: TypeScript refuses it while a key of the English one is missing. */
export const fr: Record<MessageKey, string> = {
	'app.name': 'FieldMatrix',
	'app.tagline': 'Recommandations du C34, hors ligne',
	'app.skipToContent': 'Aller au contenu',
	'app.loading': 'Chargement des recommandations…',
	'app.loadFailed': "Les recommandations n'ont pas pu être chargées : {reason}",
	'app.loadFailedOffline':
		"Cet appareil n'a pas encore de copie des recommandations. Connectez-vous une fois pour les télécharger.",
	'app.retry': 'Réessayer',

	'nav.main': 'Principale',
	'nav.matrix': 'Matrice',
	'nav.settings': 'Paramètres',

	'network.online': 'En ligne',
	'network.offline': 'Hors ligne',
	'network.offlineHint': 'Lecture depuis cet appareil',

	'language.label': 'Langue',

	'update.available': 'Une nouvelle version est disponible.',
	'update.reload': 'Recharger',

	'matrix.title': 'Recommandations du Comité spécial',
	'matrix.reportOf': '{title} ({symbol}), {date}',
	'matrix.results_one': '{count} recommandation',
	'matrix.results_other': '{count} recommandations',
	'matrix.searching': 'Recherche…',
	'matrix.noResults':
		'Aucune recommandation ne correspond. Modifiez la recherche ou effacez les filtres.',
	'matrix.sectionCount_one': '{count} recommandation',
	'matrix.sectionCount_other': '{count} recommandations',

	'search.label': 'Rechercher',
	'search.placeholder': 'Mots, numéro de paragraphe, mission…',
	'search.submit': 'Rechercher',

	'filters.title': 'Filtres',
	'filters.section': 'Section',
	'filters.category': 'État',
	'filters.mission': 'Mission citée',
	'filters.footnote': 'Note',
	'filters.any': 'Tous',
	'filters.clear': 'Effacer la recherche et les filtres',
	'filters.footnote.a': 'Détails dans le répertoire en ligne (a)',
	'filters.footnote.b': 'Référence au Kosovo (b)',

	'category.ongoing-see-2023': 'En cours, voir 2023',
	'category.progress-reported': 'Progrès signalés',
	'category.briefing-pending': 'Exposé à venir',
	'category.update-pending': 'Mise à jour à venir',
	'category.taken-note': 'Pris note',
	'category.member-states': 'Pour les États Membres',
	'category.no-update-requested': 'Aucune mise à jour demandée',

	'recommendation.paragraph': 'Paragraphe {paragraph}',
	'recommendation.title': 'Paragraphe {paragraph} du document {symbol}',
	'recommendation.section': 'Section {numeral} : {title}',
	'recommendation.status': 'État communiqué par le Secrétariat',
	'recommendation.notes': 'Notes',
	'recommendation.refs2023': 'État antérieur',
	'recommendation.ref2023': 'Recommandation {paragraph} de 2023, dans le répertoire en ligne',
	'recommendation.documents': 'Documents cités',
	'recommendation.links': 'Liens',
	'recommendation.missions': 'Missions citées',
	'recommendation.previous': 'Précédent : paragraphe {paragraph}',
	'recommendation.next': 'Suivant : paragraphe {paragraph}',
	'recommendation.back': 'Retour à la matrice',
	'recommendation.notFound': "Ce rapport n'a pas de paragraphe {paragraph}.",
	'recommendation.pager': 'Autres recommandations',

	'document.ga-resolution': "Résolution de l'Assemblée générale",
	'document.sc-resolution': 'Résolution du Conseil de sécurité',
	'document.sg-bulletin': 'Circulaire du Secrétaire général',
	'document.administrative-instruction': 'Instruction administrative',
	'document.sc-document': 'Document du Conseil de sécurité',
	'document.ga-document': "Document de l'Assemblée générale",

	'settings.title': 'Paramètres',
	'settings.storage': 'Stockage sur cet appareil',
	'settings.persisted':
		"Protégé : le navigateur n'effacera pas ces données pour libérer de l'espace.",
	'settings.notPersisted':
		"Non protégé : le navigateur peut effacer ces données si l'espace manque. Installez l'application pour les protéger.",
	'settings.persistUnknown': 'Ce navigateur ne dit pas si les données sont protégées.',
	'settings.usage': '{used} utilisés sur {quota} disponibles.',
	'settings.dataset_one':
		'{count} recommandation enregistrée (jeu {version}, enregistré le {date}).',
	'settings.dataset_other':
		'{count} recommandations enregistrées (jeu {version}, enregistré le {date}).',
	'settings.noDataset': 'Aucune recommandation enregistrée pour le moment.',
	'settings.requestPersist': 'Protéger les données de cet appareil'
};
