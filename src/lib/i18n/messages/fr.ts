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
	'nav.hq': 'Siège',
	'nav.admin': 'Admin',

	'network.online': 'En ligne',
	'network.offline': 'Hors ligne',
	'network.offlineHint': 'Lecture depuis cet appareil',

	'language.label': 'Langue',

	'update.available': 'Une nouvelle version est disponible.',
	'update.reload': 'Recharger',

	'matrix.title': 'Recommandations du Comité spécial',
	'matrix.reportOf': '{title} ({symbol}), {date}',
	'date.long': '{day} {month} {year}',
	'date.months':
		'janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre',
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
	'settings.requestPersist': 'Protéger les données de cet appareil',

	'progress.not-assessed': 'Pas encore évaluée',
	'progress.not-started': 'Pas commencée',
	'progress.planned': 'Prévue',
	'progress.in-progress': 'En cours',
	'progress.implemented': 'Mise en œuvre',
	'progress.not-applicable': 'Sans objet',
	'progress.needs-hq-support': 'Appui du Siège requis',
	'progress.unsent': 'pas encore envoyé',

	'pending.count_one': '{count} modification pas encore envoyée au Siège',
	'pending.count_other': '{count} modifications pas encore envoyées au Siège',
	'pending.none': 'Tout est envoyé au Siège',

	'summary.title': 'Avancement de la {mission}',
	'summary.bySection': 'Par section',
	'summary.section': 'Section',
	'summary.total': 'Total',

	'filters.progress': 'Notre avancement',
	'filters.progress.not-assessed': 'Pas encore évaluées',
	'filters.progress.changed': 'Modifiées depuis la dernière synchronisation',

	'profile.title': 'Votre mission',
	'profile.intro':
		'Vous avez un code du Siège ? Saisissez-le dans Paramètres. Sinon, choisissez votre mission et votre nom pour commencer, même hors ligne.',
	'profile.mission': 'Mission',
	'profile.choose': 'Choisir…',
	'profile.displayName': 'Votre nom',
	'profile.save': 'Enregistrer',
	'profile.saved': 'Enregistré sur cet appareil.',
	'profile.current': 'Enregistrement pour la {mission} en tant que {name}.',
	'profile.pendingBlocks_one':
		'{count} modification de la personne actuelle n’est pas encore envoyée. Exportez d’abord une sauvegarde.',
	'profile.pendingBlocks_other':
		'{count} modifications de la personne actuelle ne sont pas encore envoyées. Exportez d’abord une sauvegarde.',
	'profile.changeAnyway': 'Changer quand même (les modifications non envoyées gardent leur auteur)',
	'profile.required': 'Choisissez une mission et saisissez votre nom.',

	'panel.title': 'Avancement de notre mission',
	'panel.needsProfile':
		'Choisissez votre mission dans les Paramètres pour enregistrer l’avancement.',
	'panel.current': 'État actuel',
	'panel.none': 'Rien n’est encore enregistré pour cette recommandation.',
	'panel.add': 'Ajouter un avancement',
	'panel.entries': 'Entrées',
	'panel.timeline': 'Historique des modifications',
	'panel.edit': 'Modifier',
	'panel.delete': 'Supprimer',
	'panel.undo': 'Annuler la suppression',
	'panel.deleted': 'Supprimée',
	'panel.by': '{date} · {author}',
	'panel.draftRestored': 'Votre brouillon non enregistré a été restauré.',

	'op.create': 'ajoutée',
	'op.update': 'modifiée',
	'op.delete': 'supprimée',
	'op.restore': 'restaurée',

	'editor.title.new': 'Nouvelle entrée d’avancement',
	'editor.title.edit': 'Modifier l’entrée d’avancement',
	'editor.status': 'État',
	'editor.date': 'Date de l’avancement',
	'editor.note': 'Note',
	'editor.noteHelp': 'Texte simple, {max} caractères au plus.',
	'editor.evidence': 'Justificatifs',
	'editor.evidenceLabel': 'Description',
	'editor.evidenceUrl': 'Lien web (http ou https)',
	'editor.evidenceSymbol': 'Ou cote du document (p. ex. S/2024/292)',
	'editor.addEvidence': 'Ajouter un justificatif',
	'editor.removeEvidence': 'Retirer le justificatif {n}',
	'editor.save': 'Enregistrer',
	'editor.cancel': 'Annuler',
	'editor.saving': 'Enregistrement…',
	'editor.saved': 'Enregistré sur cet appareil.',
	'editor.draftSaved': 'Brouillon conservé sur cet appareil.',
	'editor.leaveConfirm':
		'Une entrée n’est pas enregistrée. Quitter quand même ? Le brouillon reste sur cet appareil.',
	'editor.fixErrors': 'Corrigez les champs signalés. Rien n’a été enregistré.',

	'error.required': 'Ce champ est obligatoire.',
	'error.too-long': 'Ce texte est trop long.',
	'error.too-many': 'Trop d’éléments.',
	'error.invalid-url': 'Saisissez une adresse web commençant par http:// ou https://.',
	'error.invalid-symbol': 'Saisissez une cote de document de l’ONU, par exemple S/2024/292.',
	'error.invalid-date': 'Saisissez une date valide.',
	'error.future-date': 'La date ne peut pas être postérieure à aujourd’hui.',
	'error.invalid': 'Cette valeur n’est pas valide.',
	'error.quota':
		'L’enregistrement a échoué : cet appareil n’a plus d’espace de stockage. Le brouillon est conservé. Libérez de l’espace et réessayez.',
	'error.closed':
		'L’enregistrement a échoué car le navigateur a fermé la base de données. Le brouillon est conservé. Réessayez ou rechargez l’application.',
	'error.unknown': 'L’enregistrement a échoué : {reason}. Le brouillon est conservé.',
	'error.alreadySynced':
		'Cette suppression a déjà été envoyée au Siège et ne peut plus être annulée.',

	'backup.title': 'Sauvegarde',
	'backup.intro':
		'Enregistrez dans un fichier tout l’avancement saisi sur cet appareil, y compris les modifications non envoyées, ou restaurez un tel fichier ici.',
	'backup.export': 'Exporter une sauvegarde',
	'backup.import': 'Importer un fichier de sauvegarde',
	'backup.imported':
		'Importé : {added} nouvelles entrées, {updated} mises à jour, {unchanged} déjà présentes.',
	'backup.invalid': 'Ce fichier a été refusé et rien n’a été modifié : {reason}',

	'orphans.title': 'Recommandations qui ne figurent plus dans le rapport actuel',
	'orphans.intro':
		'Votre mission a enregistré un avancement sur ces recommandations, que l’édition actuelle du rapport ne contient plus. Les entrées sont conservées.',

	'sync.not-enrolled': 'Non connecté au Siège',
	'sync.syncing': 'Synchronisation…',
	'sync.offline': 'Hors ligne : les modifications attendent sur cet appareil',
	'sync.up-to-date': 'À jour',
	'sync.failed':
		'La synchronisation a échoué : {reason}. Nouvel essai automatique ; ou appuyez sur Synchroniser.',
	'sync.revoked':
		'Le Siège a déconnecté cet appareil. Vos données restent ici : exportez vos modifications non envoyées dans les Paramètres, puis demandez un nouveau code.',
	'sync.last': 'Dernière synchronisation le {date}',
	'sync.now': 'Synchroniser',
	'sync.conflicts_one': '{count} conflit à trancher',
	'sync.conflicts_other': '{count} conflits à trancher',

	'enrol.title': 'Se connecter au Siège',
	'enrol.intro':
		'Le Siège remet à chaque point focal un code à usage unique. Avec lui, cet appareil envoie l’avancement de votre mission et reçoit celui de vos collègues.',
	'enrol.code': 'Code d’inscription',
	'enrol.name': 'Votre nom',
	'enrol.submit': 'Se connecter',
	'enrol.done': 'Connecté comme {role} pour la {mission}.',
	'enrol.parked_one':
		'{count} modification non envoyée de la personne précédente a été mise de côté, sans être envoyée. Exportez-la ci-dessous.',
	'enrol.parked_other':
		'{count} modifications non envoyées de la personne précédente ont été mises de côté, sans être envoyées. Exportez-les ci-dessous.',
	'enrol.failed': 'Le code a été refusé : {reason}',
	'enrol.exportParked': 'Exporter les modifications mises de côté',
	'enrol.connected': 'Cet appareil est connecté pour la {mission} ({role}).',

	'conflict.title': 'Deux versions à concilier',
	'conflict.intro':
		'Cette entrée a été modifiée sur deux appareils. Les deux versions sont conservées jusqu’à une décision.',
	'conflict.mine': 'Version de cet appareil',
	'conflict.theirs': 'Version d’un autre appareil',
	'conflict.keepMine': 'Garder la version de cet appareil',
	'conflict.keepTheirs': 'Garder l’autre version',
	'conflict.resolving': 'Décision enregistrée ; elle sera envoyée à la prochaine synchronisation.'
};
